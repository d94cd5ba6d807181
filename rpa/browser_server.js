// The shared browser's server: one Chromium that every robot of this machine quotes in, reachable
// only by the user the service runs as.
//
// Chromium speaks DevTools over a pipe to this process (`--remote-debugging-pipe`): it opens no
// port. This process serves Playwright's protocol on a Unix socket inside DIR, a directory the
// service created 0700: no other user can even reach the socket, and no TCP port is open. The
// endpoint (`ws+unix://DIR/servidor.sock:/PATH`, PATH 128 random bits) is written once, on
// stdout, to the service, which hands it to its robots through their environment and never
// logs it.
//
// Each robot's connection sees only the browser contexts it created, and when it drops (the
// robot ended or was killed) the server closes them.
//
// Started by browser_server.py (which finds Playwright's own Node and package) as:
//   node browser_server.js PACKAGE_DIR CHROMIUM DIR FLAG...
// stdout: one JSON line {"endpoint": "ws+unix://DIR/servidor.sock:/PATH", "pid": CHROMIUM_PID}
// Chromium's profile is DIR/chromium. The server exits when its stdin closes (the service is
// gone), on SIGTERM (closing Chromium first), and when Chromium exits (exit code 1: the service
// starts another).
'use strict';

const path = require('path');

const [packageDir, executablePath, dir, ...flags] = process.argv.slice(2);
// sockaddr_un holds 108 bytes with its terminating NUL.
const SOCKET_PATH_MAX = 107;

function fail(message) {
  process.stderr.write(`servidor do navegador: ${message}\n`);
  process.exit(1);
}

async function main() {
  if (!packageDir || !executablePath || !dir) fail('uso: browser_server.js PACOTE CHROMIUM DIRETORIO FLAG...');
  const socket = path.join(dir, 'servidor.sock');
  if (Buffer.byteLength(socket) > SOCKET_PATH_MAX) fail(`caminho do socket longo demais: ${socket} (use um TMPDIR mais curto)`);
  const { chromium } = require(packageDir);
  const server = await chromium.launchServer({
    executablePath,
    // The project's own flags, exactly as the service always ran Chromium; Playwright's defaults
    // would bring a --disable-features list of their own, and Chromium keeps only the last one.
    ignoreDefaultArgs: true,
    args: [...flags, '--remote-debugging-pipe', '--no-startup-window', `--user-data-dir=${path.join(dir, 'chromium')}`],
    // A path here makes Playwright listen on a Unix socket instead of a TCP port.
    port: socket,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await server.close();
    } finally {
      process.exit(0);
    }
  };
  server.on('close', () => process.exit(stopping ? 0 : 1));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => {});
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  // wsEndpoint() is the socket's path followed by the server's own random path.
  const wsPath = server.wsEndpoint().slice(socket.length);
  const line = { endpoint: `ws+unix://${socket}:${wsPath}`, pid: server.process().pid };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main().catch((e) => fail(String((e && e.message) || e).split('\n')[0]));
