#!/bin/sh
# Witness in front of the fake robot, for tests/integration/kill_window.rs. Run as
#   sh tests/robot_witness.sh --data-file FILE --session ID --data-dir DIR
# it records this robot's start and how many *other* robots of the same session are alive at
# that instant, then execs tests/fake_robot.py with the same arguments (same pid, same inherited
# descriptors). Two robots of one session overlap in time exactly when the later one starts while
# the earlier one is alive, so looking at each start is enough; and it is done in sh, a
# millisecond after exec, so that a robot killed early is seen too.
#
# A robot is any live process with the session id as one of its arguments (the robot's argv
# carries `--session ID`; zombies have no argv). Each line of FAKE_ROBOT_STATE_DIR/witness.txt:
#   PID START_TICKS SESSION OTHERS_ALIVE
# START_TICKS is field 22 of /proc/PID/stat, to recognise a reused pid later.
# WITNESS_PATH, when set, replaces PATH (the test slows the robot's exec with a long PATH).

# The preflight (`--verificar`) is not a quote: nothing to witness.
case " $* " in *" --verificar "*) exec python3 "$(dirname "$0")/fake_robot.py" "$@" ;; esac

session=
prev=
for arg in "$@"; do
    [ "$prev" = "--session" ] && session=$arg
    prev=$arg
done
[ -n "${WITNESS_PATH:-}" ] && PATH=$WITNESS_PATH && export PATH

stat_field() { # stat_field PID N
    read -r line < "/proc/$1/stat" 2>/dev/null || return 1
    line=${line##*) }          # after "pid (comm) ": field 3 (state) onwards
    n=$(($2 - 2))
    set -- $line
    [ "$#" -ge "$n" ] || return 1
    eval "echo \${$n}"
}

me=$$
start=$(stat_field "$me" 22)
others=0
# The pattern is not the session id itself, so grep does not find its own argv.
for f in $(grep -lzE -e "^${session}\$" /proc/[0-9]*/cmdline 2>/dev/null); do
    pid=${f#/proc/}
    pid=${pid%/cmdline}
    [ "$pid" = "$me" ] && continue
    # Our own command substitutions are forks of this script: not robots.
    [ "$(stat_field "$pid" 4)" = "$me" ] && continue
    others=$((others + 1))
done
printf '%s %s %s %s\n' "$me" "$start" "$session" "$others" >> "$FAKE_ROBOT_STATE_DIR/witness.txt"
exec python3 "$(dirname "$0")/fake_robot.py" "$@"
