// `npm run fuses -- <electron binary> [--asar]`: the packaging step that flips the Electron fuses
// of the binary a release ships (a copy: the development binary in node_modules keeps its
// defaults, because Playwright's Electron launcher needs the Node inspector flags). Fuses are bits
// compiled into the binary (Electron's "Fuses" documentation): once flipped, no environment
// variable or command-line flag turns the feature back on.
//   RunAsNode off                           ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node
//   EnableNodeOptionsEnvironmentVariable off NODE_OPTIONS cannot inject code (--require) at start
//   EnableNodeCliInspectArguments off       --inspect / --inspect-brk cannot attach a debugger
//   GrantFileProtocolExtraPrivileges off    file:// gets no extra rights (the app uses app://)
//   EnableCookieEncryption on               cookies on disk are encrypted with the OS key store
//   EnableEmbeddedAsarIntegrityValidation and OnlyLoadAppFromAsar: on with --asar, for a package
//     that ships the app as an app.asar (with its integrity hash); off otherwise, because they
//     would refuse to load an app from a folder.
// The engine runs in Electron's utilityProcess, which needs none of the switched-off features.
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { pathToFileURL } from 'node:url';

/** The fuse settings of a release build. */
export function releaseFuses({ asar }) {
  return {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: asar,
    [FuseV1Options.OnlyLoadAppFromAsar]: asar,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** ASCII '1' and '0', the states of a fuse in the wire (Electron's fuse documentation). */
const ENABLE = 0x31;
const DISABLE = 0x30;

/** Flips the release fuses of `binary`, reads the wire back and returns the fuses it checked. */
export async function applyReleaseFuses(binary, { asar }) {
  const config = releaseFuses({ asar });
  await flipFuses(binary, config);
  const wire = await getCurrentFuseWire(binary);
  const checked = {};
  for (const [index, on] of Object.entries(config)) {
    if (index === 'version') continue;
    const name = FuseV1Options[Number(index)];
    const state = wire[index];
    // A fuse this Electron has removed ('r') stays as it is; any other state must be the one asked.
    if (state !== 0x72 && state !== (on ? ENABLE : DISABLE)) throw new Error(`${binary}: fuse ${name} is ${String.fromCharCode(state)} after flipping, expected ${on ? 1 : 0}`);
    checked[name] = on;
  }
  return checked;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const binary = args.find((a) => !a.startsWith('--'));
  if (!binary) {
    process.stderr.write('usage: npm run fuses -- <path to the Electron binary of the release> [--asar]\n');
    process.exit(2);
  }
  try {
    const checked = await applyReleaseFuses(binary, { asar: args.includes('--asar') });
    for (const [name, on] of Object.entries(checked)) process.stdout.write(`${name.padEnd(40)} ${on ? 'on' : 'off'}\n`);
  } catch (e) {
    process.stderr.write(`fuses: ${e.message}\n`);
    process.exit(2);
  }
}
