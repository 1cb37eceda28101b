# shellcheck shell=bash
# The benchmarks' private SLURM lives in scripts/slurm-local.sh, shared with the tests.
# shellcheck source=scripts/slurm-local.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/slurm-local.sh"
