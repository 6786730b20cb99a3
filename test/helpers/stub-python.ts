import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A `python3` on PATH that behaves like CPython at the process boundary for the three calls the
 * moto installer makes (version probe, `-m venv DIR`, `-m pip install REQ`), so the installer's real
 * code runs without the Python package index. `pip` either "installs" a moto_server that execs
 * `realMoto` (or prints a marker), or fails the way pip does when the index is unreachable.
 */
export function writeStubPython(dir: string, opts: { pip: 'ok' | 'unreachable'; realMoto?: string; version?: string; log: string }): string {
  mkdirSync(dir, { recursive: true });
  const motoBody = opts.realMoto ? `exec "${opts.realMoto}" "$@"` : 'echo "stub moto_server $*"';
  const script = `#!/bin/sh
echo "$0 $*" >> "${opts.log}"
if [ "$1" = "-c" ]; then echo "${opts.version ?? '3.11'}"; exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && chmod +x "$3/bin/python"
  echo "created venv $3"; exit 0
fi
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  for last; do :; done
  if [ "${opts.pip}" = "unreachable" ]; then
    echo "WARNING: Retrying (Retry(total=4)) after connection broken: NewConnectionError: Failed to establish a new connection" >&2
    echo "ERROR: Could not find a version that satisfies the requirement $last (from versions: none)" >&2
    echo "ERROR: No matching distribution found for $last" >&2
    exit 1
  fi
  bin=$(dirname "$0")
  printf '#!/bin/sh\\n%s\\n' '${motoBody.replace(/'/g, "'\\''")}' > "$bin/moto_server" && chmod +x "$bin/moto_server"
  echo "Successfully installed $last"; exit 0
fi
echo "stub python: unexpected arguments: $*" >&2; exit 2
`;
  const path = join(dir, 'python3');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return path;
}
