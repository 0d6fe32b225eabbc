import { spawn, execFileSync } from 'node:child_process';
const ROOT='/work/main'; const W=ROOT+'/node_modules/wrangler/bin/wrangler.js';
const st='/tmp/expstate'; execFileSync('rm',['-rf',st]);
const env={...process.env, CI:'true', WRANGLER_SEND_METRICS:'false'};
execFileSync(process.execPath,[W,'d1','migrations','apply','DB','--local','--persist-to',st],{cwd:ROOT,env});
const c=spawn(process.execPath,[W,'dev','bench/experiment-worker.ts','--port','38811','--ip','127.0.0.1','--persist-to',st,'--show-interactive-dev-session=false','--log-level','error'],{cwd:ROOT,env,stdio:'inherit'});
const base='http://127.0.0.1:38811';
for(;;){try{await fetch(base+'/?mode=build&n=1');break}catch{await new Promise(r=>setTimeout(r,300))}}
const modes = process.argv.slice(2);
for (const rep of [1,2,3]) for (const m of modes) {
  const n = m==='build'||m==='send'||m==='deliver' ? 1000 : 20;
  const r = await (await fetch(`${base}/?mode=${m}&n=${n}&run=${m}${rep}_`)).json();
  console.log(rep, m, r.ms, 'ms', m==='build'||m==='send'||m==='deliver' ? `${(r.ms*1000/n).toFixed(1)} us/event` : `${(n*100/(r.ms/1000)).toFixed(0)} rows/s`);
}
console.log(await (await fetch(base+'/?mode=count')).json());
c.kill('SIGTERM');
