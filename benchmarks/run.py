"""``make benchmark``: the caseload benchmark at its quick default scale (arguments pass through)."""

import sys

from benchmarks.caseload_benchmark import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
