const last = [1, 2].at(-1); const ch = "ab".at(0); const u8 = new Uint8Array(2).at(0);
const a: number | undefined = last; const b: string | undefined = ch; const c: number | undefined = u8;
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

