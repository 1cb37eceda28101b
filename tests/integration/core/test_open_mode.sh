#!/bin/bash
# Regression (issue 11 item 6): output files were always appended to, and --open-mode only
# warned. As sbatch (JobFileAppend=0): an existing output file is truncated unless
# --open-mode=append (command line or #SBATCH); a retried attempt opens it the same way.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

echo OLD >result.txt
j=$(submit -o result.txt --wrap 'echo new')
gwait "$j" || fail "job failed"
expect_eq "$(cat result.txt)" "new" "an existing output file is truncated by default"

echo OLD >appended.txt
j=$(submit -o appended.txt --open-mode=append --wrap 'echo new')
gwait "$j" || fail "job failed"
expect_eq "$(cat appended.txt | tr '\n' ' ')" "OLD new " "--open-mode=append keeps what it held"

echo OLD >directive.txt
f=$(script append.sh '#SBATCH -o directive.txt' '#SBATCH --open-mode=append' 'echo new')
j=$(submit "$f")
gwait "$j" || fail "job failed"
expect_eq "$(cat directive.txt | tr '\n' ' ')" "OLD new " "#SBATCH --open-mode=append too"
expect_fail_with "expected append or truncate" g submit --open-mode=sometimes --wrap true

# Attempt 1 fails, attempt 2 succeeds (a deep retry).
for mode in truncate append; do
  j=$(submit -o "retry-$mode.txt" --open-mode=$mode --max-retries=1 \
    --wrap 'echo "attempt $GANTRY_ATTEMPT"; [ "$GANTRY_ATTEMPT" = 2 ]')
  gwait "$j" || fail "retried job failed: $(g status "$j")"
done
expect_eq "$(cat retry-truncate.txt)" "attempt 2" "a retried attempt truncates by default"
expect_eq "$(cat retry-append.txt | tr '\n' ' ')" "attempt 1 attempt 2 " \
  "with --open-mode=append it keeps the earlier attempt's output"

finish
