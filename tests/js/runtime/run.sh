#!/bin/sh
# Differential tests of the task compiler's runtime modules: Node.js (natives) vs MuJS.
exec node "$(dirname "$0")/run.js" "$@"
