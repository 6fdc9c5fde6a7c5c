# Sourced by scripts/stack.sh and scripts/services.sh.
# shellcheck shell=bash
# Closes every file descriptor above 2 of the current (sub)shell. A server started from here must not
# inherit a lock its starter holds: stack.sh's own (fd 9), nor the caller's, e.g. a test run under
# `flock /tmp/tf-stack.lock` that restarts a server: the long-lived server would keep that lock forever.
close_inherited_fds() {
  local fd
  for fd in "/proc/$BASHPID/fd/"*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}
