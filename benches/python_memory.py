"""Peak memory of `greenreach.check` in one process: one synthetic city of
`benches/dask_country.py` with N uniform random homes; prints the peak RSS before and after
the call, the result frame's size and the time.

    python benches/python_memory.py 1000000
"""

import pathlib
import resource
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import dask_country  # noqa: E402
import greenreach as gr  # noqa: E402


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        greens, homes = dask_country.country(1, n, pathlib.Path(tmp))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    t = time.perf_counter()
    res = gr.check(homes, greens)
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(
        f"{n} homes: peak RSS {before:.2f} GB before gr.check, {after:.2f} GB after; "
        f"result frame {res.memory_usage(deep=True).sum() / 1e9:.2f} GB; {dt:.1f} s"
    )


if __name__ == "__main__":
    main()
