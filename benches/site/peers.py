"""Solve the maximal covering problem written by `greenreach site --export-problem FILE`
with PuLP + CBC and with spopt's MCLP, for K sites; prints time and objective (the weight
meeting the tier, including the weight that met it before), like `greenreach site`.

    python3 benches/site/peers.py problem.json K
"""
import json
import sys
import time

prob = json.load(open(sys.argv[1]))
k = int(sys.argv[2])
w = prob["weights"]
sets = prob["sets"]
base = prob["base_weight"]

# PuLP + CBC: x_c binary, y_i in [0, 1], y_i <= sum of x_c serving i, sum x_c <= K.
import pulp

t0 = time.perf_counter()
serving = [[] for _ in w]
for c, s in enumerate(sets):
    for i in s:
        serving[i].append(c)
m = pulp.LpProblem("mclp", pulp.LpMaximize)
x = [pulp.LpVariable(f"x{c}", cat="Binary") for c in range(len(sets))]
y = {i: pulp.LpVariable(f"y{i}", 0, 1) for i in range(len(w)) if serving[i]}
m += pulp.lpSum(w[i] * y[i] for i in y)
for i, v in y.items():
    m += v <= pulp.lpSum(x[c] for c in serving[i])
m += pulp.lpSum(x) <= k
m.solve(pulp.PULP_CBC_CMD(msg=False))
t1 = time.perf_counter()
val = base + sum(w[i] for i in y if y[i].value() > 0.5)
print(f"pulp+cbc K={k}: {t1 - t0:.3f} s, objective {val:.1f}, status {pulp.LpStatus[m.status]}")

try:
    import numpy as np
    from spopt.locate import MCLP

    t0 = time.perf_counter()
    open_pts = [i for i in range(len(w)) if serving[i]]
    row = {i: r for r, i in enumerate(open_pts)}
    cost = np.full((len(open_pts), len(sets)), 2.0)
    for c, s in enumerate(sets):
        for i in s:
            cost[row[i], c] = 0.0
    weights = np.array([w[i] for i in open_pts])
    mclp = MCLP.from_cost_matrix(cost, weights, service_radius=1.0, p_facilities=k)
    mclp = mclp.solve(pulp.PULP_CBC_CMD(msg=False))
    t1 = time.perf_counter()
    chosen = [c for c in range(len(sets)) if mclp.fac_vars[c].value() > 0.5]
    covered = set()
    for c in chosen:
        covered.update(sets[c])
    val = base + sum(w[i] for i in covered)
    print(f"spopt MCLP K={k}: {t1 - t0:.3f} s (dense {len(open_pts)}x{len(sets)} matrix), objective {val:.1f}")
except ImportError as e:
    print(f"spopt not available: {e}")
