import { spawn, execFileSync } from 'node:child_process';
const ROOT='/work/main'; const W=ROOT+'/node_modules/wrangler/bin/wrangler.js';
const st='/tmp/expstate2'; execFileSync('rm',['-rf',st]);
const env={...process.env, CI:'true', WRANGLER_SEND_METRICS:'false'};
execFileSync(process.execPath,[W,'d1','migrations','apply','DB','--local','--persist-to',st],{cwd:ROOT,env});
const c=spawn(process.execPath,[W,'dev','bench/experiment-worker.ts','--port','38812','--ip','127.0.0.1','--persist-to',st,'--show-interactive-dev-session=false','--log-level','error'],{cwd:ROOT,env,stdio:'inherit'});
const base='http://127.0.0.1:38812';
for(;;){try{await fetch(base+'/?mode=call0');break}catch{await new Promise(r=>setTimeout(r,300))}}
const modes = process.argv.slice(2);
const res: Record<string, number[]> = {}; for (const m of modes) res[m] = [];
for (let i = 0; i < 300; i++) for (const m of modes) { await new Promise(r=>setTimeout(r,15)); const t=process.hrtime.bigint(); await (await fetch(`${base}/?mode=${m}`)).arrayBuffer(); if (i>=30) res[m].push(Number(process.hrtime.bigint()-t)/1e6); }
const pct=(a: number[],q: number)=>{const s=[...a].sort((x,y)=>x-y);return s[Math.ceil(q/100*s.length)-1]};
for (const m of modes) console.log(m.padEnd(8), 'p50', pct(res[m],50).toFixed(3), 'p90', pct(res[m],90).toFixed(3), 'p99', pct(res[m],99).toFixed(3));
c.kill('SIGTERM');
