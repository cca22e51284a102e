#!/bin/sh
# Build the round-trip driver in $OUT (default /tmp/jsc-parse). SAN=1 adds ASan+UBSan.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
SRC="$HERE/../../../host/task/compiler"
OUT=${OUT:-/tmp/jsc-parse}
mkdir -p "$OUT"
CFLAGS="-std=c11 -D_XOPEN_SOURCE=700 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes -Wmissing-prototypes -g"
if [ -n "$SAN" ]; then
    CFLAGS="$CFLAGS -O1 -fsanitize=address,undefined -fno-omit-frame-pointer"
    BIN="$OUT/roundtrip-san"
else
    CFLAGS="$CFLAGS -O2"
    BIN="$OUT/roundtrip"
fi
FILES="ast lex lex_lit parse parse_expr parse_primary parse_func parse_pattern parse_stmt print print_expr dump"
SRCS=""
for f in $FILES; do SRCS="$SRCS $SRC/$f.c"; done
gcc $CFLAGS -I"$SRC" $SRCS "$HERE/roundtrip.c" -lm -o "$BIN"
echo "$BIN"
