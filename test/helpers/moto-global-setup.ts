import { ensureMoto } from '../../src/drill/emulators/moto-install.js';

/**
 * Runs once before the integration project: on a machine without moto it installs the pinned
 * version into the project-local venv here, so parallel test files never race to install it.
 */
export default async function setup(): Promise<void> {
  const found = await ensureMoto({ onProgress: (line) => process.stderr.write(`${line}\n`) });
  process.stderr.write(`moto_server: ${found.path} (${found.source})\n`);
}
