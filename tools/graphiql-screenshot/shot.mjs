// Takes a screenshot of GraphiQL after its first Run, over the Chrome
// DevTools protocol of a headless Chromium (Debian's `chromium` package)
// that run.sh starts. Usage: node --experimental-websocket shot.mjs PORT URL OUT.png
import { writeFileSync } from 'node:fs';

const [port, url, out] = process.argv.slice(2);
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = targets.find((t) => t.type === 'page');
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((ok) => ws.addEventListener('open', ok));
let id = 0;
const pending = new Map();
ws.addEventListener('message', (m) => {
  const msg = JSON.parse(m.data);
  if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
});
const send = (method, params = {}) => new Promise((ok) => { const n = ++id; pending.set(n, ok); ws.send(JSON.stringify({ id: n, method, params })); });
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const evaluate = async (expression) => (await send('Runtime.evaluate', { expression, returnByValue: true })).result?.result?.value;

await send('Emulation.setDeviceMetricsOverride', { width: 1500, height: 950, deviceScaleFactor: 1, mobile: false });
await send('Page.enable');
await send('Page.navigate', { url });
for (let i = 0; i < 50 && !(await evaluate("!!document.querySelector('.graphiql-execute-button')")); i++) await sleep(200);
await sleep(1000);
await evaluate("document.querySelector('.graphiql-execute-button').click()");
let result = '';
for (let i = 0; i < 50; i++) {
  await sleep(200);
  result = await evaluate("(document.querySelector('.result-window') || {}).innerText || ''");
  if (result.includes('"data"') || result.includes('"errors"')) break;
}
await sleep(500);
const shot = await send('Page.captureScreenshot', { format: 'png' });
writeFileSync(out, Buffer.from(shot.result.data, 'base64'));
console.log(result.replace(/\s+/g, ' ').slice(0, 300));
ws.close();
