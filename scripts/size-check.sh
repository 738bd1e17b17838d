#!/usr/bin/env bash
# Lists the production files (core/, ui/, app/, examples/) over the line limit and the functions
# over the function limit; exit 1 when there is any. Functions are found the way this tree is
# formatted (.clang-format): a body that opens with `{` alone at column 0 and closes with `}` at
# column 0 (class bodies, closing with `};`, are not functions); a function's length counts
# from its signature's first line to its closing brace. Inline member functions in class bodies
# and lambdas count inside what holds them.
# Usage: scripts/size-check.sh [--max-file N] [--max-function N] [DIR...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
max_file=400
max_function=60
dirs=()
while (($#)); do
  case "$1" in
    --max-file) max_file=$2; shift 2 ;;
    --max-function) max_function=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
((${#dirs[@]})) || dirs=(core ui app examples)
cd "$root"
mapfile -t files < <(git ls-files -- "${dirs[@]}" | grep -E '\.(cpp|h|hpp|cc)$' || true)
((${#files[@]})) || { echo "size-check: no files under ${dirs[*]}"; exit 0; }
awk -v max_file="$max_file" -v max_function="$max_function" '
  FNR == 1 {
    if (prev != "" && prev_lines > max_file) { printf "file %s: %d lines (limit %d)\n", prev, prev_lines, max_file; bad++ }
    depth_start = 0; sig = 0; last_code = 0
  }
  { prev = FILENAME; prev_lines = FNR }
  /^\{[ \t]*$/ && !depth_start {
    # the signature starts after the last line that ended a statement or a block
    depth_start = FNR; sig = last_code + 1; next
  }
  depth_start && /^\}/ {
    if ($0 !~ /^\};/) {
      len = FNR - sig + 1
      if (len > max_function) {
        # the name: the last identifier before "(" on the first signature line that has one
        name = sig_text[sig]
        for (i = sig; i < depth_start; i++) if (sig_text[i] ~ /\(/) { name = sig_text[i]; break }
        sub(/\(.*/, "", name); n = split(name, parts, /[ \t*&]+/); name = parts[n]
        printf "function %s:%d %s: %d lines (limit %d)\n", FILENAME, sig, name, len, max_function; bad++
      }
    }
    depth_start = 0; last_code = FNR; next
  }
  !depth_start {
    sig_text[FNR] = $0
    if ($0 ~ /^[ \t]*$/ || $0 ~ /[;}][ \t]*$/ || $0 ~ /^[ \t]*(\/\/|#)/ || $0 ~ /^(namespace|extern).*\{[ \t]*$/ || $0 ~ /^(public|private|protected|signals|Q_SIGNALS|private Q_SLOTS|public Q_SLOTS):/)
      last_code = FNR
  }
  END {
    if (prev != "" && prev_lines > max_file) { printf "file %s: %d lines (limit %d)\n", prev, prev_lines, max_file; bad++ }
    if (bad) { printf "size-check: %d over the limits\n", bad; exit 1 }
    print "size-check: every file within " max_file " lines, every function within " max_function
  }
' "${files[@]}"
