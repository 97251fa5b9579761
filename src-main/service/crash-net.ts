/**
 * The last net of a long-lived host (browser-mode server, Electron shell): a promise rejected
 * with nobody listening is logged and the host keeps serving, instead of Node's default of
 * ending the process and every run in progress with it. Each known path handles its own errors;
 * this catches the ones a future change forgets.
 */
export function keepServingOnUnhandledRejection(host: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    log(`retile ${host}: an unhandled rejection was logged and the host kept serving: ${text}`);
  });
}
