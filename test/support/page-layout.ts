import type { Locator, Page } from 'playwright-core';

// The callbacks below run inside Chromium. This project compiles without the DOM library (it would
// retype Node's globals for all of src/), so the few browser globals they touch are declared here.
declare const document: any;
declare function getComputedStyle(el: Element): { [property: string]: string };
declare const innerWidth: number;
declare const innerHeight: number;
type Element = { parentElement: Element | null; getBoundingClientRect(): { left: number; right: number; top: number; bottom: number; width: number; height: number } } & Record<string, any>;
type HTMLElement = Element;

/** Whether the locator's element has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/** How far the page scrolls sideways (0 when it does not). */
export function horizontalScroll(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

/** Descendants of each `container` that stick out of its right or left edge, as "selector: px". */
export function outOfContainer(page: Page, container: string, descendants: string): Promise<string[]> {
  return page.evaluate(
    ([container, descendants]) => {
      const found: string[] = [];
      document.querySelectorAll(container).forEach((box: Element, i: number) => {
        const outer = box.getBoundingClientRect();
        box.querySelectorAll(descendants).forEach((el: Element) => {
          const r = el.getBoundingClientRect();
          const out = Math.max(r.right - outer.right, outer.left - r.left);
          if (out > 0.5) found.push(`${container}[${i}] ${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}: ${Math.round(out)} px out`);
        });
      });
      return found;
    },
    [container, descendants],
  );
}

/** The focused element's outline and the background colours painted right where the outline is drawn. */
export interface FocusRing {
  /** Stable per element while the page lives: tells a Tab that wrapped around from a new element. */
  id: number;
  element: string;
  style: string;
  width: number;
  color: string;
  backgrounds: string[];
}

export function focusRing(page: Page): Promise<FocusRing | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const page = globalThis as { __focusIds?: WeakMap<Element, number>; __focusNext?: number };
    const marks = (page.__focusIds ??= new WeakMap());
    if (!marks.has(el)) marks.set(el, (page.__focusNext = (page.__focusNext ?? 0) + 1));
    const opaque = (c: string) => !/^rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent';
    const behind = (start: Element | undefined) => {
      for (let n: Element | null = start ?? null; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (opaque(c)) return c;
      }
      return 'rgb(255, 255, 255)'; // the canvas
    };
    const cs = getComputedStyle(el);
    const width = parseFloat(cs.outlineWidth) || 0;
    const reach = (parseFloat(cs.outlineOffset) || 0) + width / 2;
    const r = el.getBoundingClientRect();
    const points = [
      [r.left + r.width / 2, r.top - reach],
      [r.left + r.width / 2, r.bottom + reach],
      [r.left - reach, r.top + r.height / 2],
      [r.right + reach, r.top + r.height / 2],
    ];
    const backgrounds = points
      .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight)
      .map(([x, y]) => behind(document.elementsFromPoint(x, y).find((hit: Element) => hit !== el && !el.contains(hit))));
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return {
      id: marks.get(el)!,
      element: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${text}"`,
      style: cs.outlineStyle,
      width,
      color: cs.outlineColor,
      backgrounds,
    };
  });
}

/** WCAG contrast ratio of two opaque CSS rgb()/rgba() colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
