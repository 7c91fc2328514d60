// The shop's face from the Storefront API's answer (shop-face.server.ts asks): pure, so the
// contrast rule is tested alone.
export interface ShopFace {
  name: string;
  logo: { url: string; alt: string; width: number | null; height: number | null } | null;
  /** The brand's primary colours, when they are readable together (WCAG contrast ≥ 4.5). */
  colors: { background: string; foreground: string } | null;
  refundPolicy: { title: string; body: string; url: string } | null;
  country: string;
}

export interface ShopNode {
  shop: {
    name: string;
    brand: {
      logo: { image: { url: string; altText: string | null; width: number | null; height: number | null } | null } | null;
      colors: { primary: { background: string | null; foreground: string | null }[] };
    } | null;
    refundPolicy: { title: string; body: string; url: string } | null;
  };
  localization: { country: { isoCode: string } };
}

export function faceOf(data: ShopNode): ShopFace {
  const image = data.shop.brand?.logo?.image;
  const primary = data.shop.brand?.colors.primary[0];
  const colors =
    primary?.background && primary.foreground && contrast(primary.background, primary.foreground) >= 4.5
      ? { background: primary.background, foreground: primary.foreground }
      : null;
  return {
    name: data.shop.name,
    logo: image ? { url: image.url, alt: image.altText ?? data.shop.name, width: image.width, height: image.height } : null,
    colors,
    refundPolicy: data.shop.refundPolicy,
    country: data.localization.country.isoCode,
  };
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1 when either is unreadable). */
export function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
    if (!m) return null;
    const [r, g, bl] = [0, 2, 4].map((i) => {
      const c = parseInt(m[1].slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [la, lb] = [luminance(a), luminance(b)];
  if (la === null || lb === null) return 1;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
