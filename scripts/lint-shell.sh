#!/usr/bin/env bash
# The shell half of `npm run lint`: shellcheck (settings in .shellcheckrc) over every shell script of the
# checkout, known by its name (*.sh) or its shebang (e.g. .ci/run). scripts/test.sh installs shellcheck
# first (`bash scripts/stack.sh tools`, the Debian package); run that once by hand when it is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v shellcheck >/dev/null 2>&1 || {
  echo "[lint] shellcheck is not installed: bash scripts/stack.sh tools installs it" >&2
  exit 1
}
scripts=()
while IFS= read -r f; do
  [ -f "$f" ] || continue
  case "$f" in
    *.sh) scripts+=("$f") ;;
    *) if head -n1 "$f" | grep -qE '^#!(/usr/bin/env |/bin/|/usr/bin/)(ba|da)?sh\b'; then scripts+=("$f"); fi ;;
  esac
done < <(git ls-files --cached --others --exclude-standard -- '*.sh' && git grep -l --untracked -I -E '^#!' -- ':!*.sh')
shellcheck "${scripts[@]}"
echo "[lint] shellcheck: ${#scripts[@]} shell scripts clean"
