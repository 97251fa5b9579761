/**
 * The hand-drawn views (floorplan, Gantt) paint on a canvas at most once per animation frame,
 * at the device's pixel ratio, so zooming and panning stay smooth however often input arrives.
 */

/** Returns a `draw()` that coalesces calls into one paint per frame; `paint` gets a CSS-pixel context. */
export function frameScheduler(
  target: () => { canvas: HTMLCanvasElement | null | undefined; width: number; height: number } | null,
  paint: (ctx: CanvasRenderingContext2D, width: number, height: number) => void,
): () => void {
  let frame = 0;
  return () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const t = target();
      if (!t?.canvas) return;
      const { canvas, width: w, height: h } = t;
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
        canvas.style.width = `${w}px`;
        canvas.style.height = `${h}px`;
      }
      const ctx = canvas.getContext('2d')!;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      paint(ctx, w, h);
    });
  };
}
