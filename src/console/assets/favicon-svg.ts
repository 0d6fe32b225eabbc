/** The console's icon, served from /admin/favicon.svg (the CSP allows images from the console's own origin only). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="7" fill="#1f1534"/>
<circle cx="16" cy="16" r="8.5" fill="none" stroke="#c4b5fd" stroke-width="3.5"/>
<circle cx="16" cy="16" r="2.5" fill="#fff"/>
</svg>
`;
