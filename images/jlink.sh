#!/usr/bin/env bash
# Links the Java runtime an AOD image carries: only the modules listed in MODULES_FILE (one per
# line, # comments), no debug attributes, man pages or headers. Used by the Dockerfiles' jre stage
# and by build-local.sh, so both images get the same runtime from the same Debian JDK 17.
#
# Usage: jlink.sh MODULES_FILE OUTDIR      (JDK: $JAVA_HOME, else the one `jlink` on PATH belongs to)
set -euo pipefail

(($# == 2)) || { echo "usage: $0 MODULES_FILE OUTDIR" >&2; exit 2; }
modules_file=$1
out=$2

jlink_bin=${JAVA_HOME:+$JAVA_HOME/bin/}jlink
modules="$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$modules_file" | grep -v '^$' | paste -sd, -)"
[[ -n "$modules" ]] || { echo "$modules_file lists no modules" >&2; exit 1; }

# --compress=2 is JDK 17's spelling (zip). Not --strip-debug: on Linux it also strips native
# symbols with objcopy (binutils), and Debian's JDK libraries are stripped already.
"$jlink_bin" --add-modules "$modules" \
    --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 \
    --output "$out"
