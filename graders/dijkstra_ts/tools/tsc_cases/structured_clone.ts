const copy = structuredClone(new Map<number, number>());
function dijkstra(g: Map<number, [number, number][]>, s: number): Map<number, number> {
  const dist = new Map<number, number>([[s, 0]]);
  const todo = [s];
  while (todo.length) {
    const u = todo.pop()!;
    for (const [v, w] of g.get(u) ?? []) {
      const d = dist.get(u)! + w;
      if (d < (dist.get(v) ?? Infinity)) { dist.set(v, d); todo.push(v); }
    }
  }
  return dist;
}

