"""scipy on the graph of `cargo bench --bench walk`: the same 1000 x 1000 street grid (20 m
blocks, lengths varied by up to 10% from the same generator), the same sources (one node in
500, start values 0-30 m), one multi-source search cut off at 5000 m (a super source whose
arcs carry the start values). Prints the time of `csgraph.dijkstra` alone, the median of
RUNS calls, and a checksum of the distances to compare with greenreach's.

    python benches/peers/walk_grid.py [RUNS]
"""

import sys
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

MASK = (1 << 64) - 1
SHIFT = 1000.0


class Lcg:
    def __init__(self, seed):
        self.s = seed

    def next(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.s >> 11) / float(1 << 53)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    side = 1000
    rng = Lcg(12)
    src, dst, wt = [], [], []
    for y in range(side):
        for x in range(side):
            for nx, ny in ((x + 1, y), (x, y + 1)):
                if nx >= side or ny >= side:
                    continue
                ln = 20.0 * (0.9 + 0.2 * rng.next())
                a, b = y * side + x, ny * side + nx
                src += [a, b]
                dst += [b, a]
                wt += [ln, ln]
    nodes = [i for i in range(side * side) if rng.next() < 1.0 / 500.0]
    keys = [30.0 * rng.next() for _ in nodes]
    n = side * side
    s = n
    g = csr_matrix(
        (np.concatenate([wt, np.array(keys) + SHIFT]),
         (np.concatenate([src, np.full(len(nodes), s)]), np.concatenate([dst, nodes]))),
        shape=(n + 1, n + 1),
    )
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        d = dijkstra(g, directed=True, indices=s, limit=5000.0 + SHIFT)
        times.append(time.perf_counter() - t)
    d = d[:n] - SHIFT
    reached = np.isfinite(d)
    print(f"{len(nodes)} sources, {reached.sum()} nodes reached, sum of distances "
          f"{d[reached].sum():.3f} m, max {d[reached].max():.3f} m")
    print(f"scipy csgraph.dijkstra: median {np.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) over {runs} calls")


if __name__ == "__main__":
    main()
