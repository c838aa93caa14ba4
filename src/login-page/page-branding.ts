/** How a domain's pages present it: its settings as stored, each optional but the name. */
export interface PageBranding {
  /** The domain name: what the page calls the domain when it has no display name. */
  name: string;
  displayName?: string;
  logoUrl?: string;
  brandColor?: string;
}

/** The branding as the pages use it, every value checked again (the settings API checks them first). */
export interface ResolvedBranding {
  displayName: string;
  logoUrl?: string;
  /** `#rrggbb`, for buttons and links. */
  brand: string;
  /** Text on the brand colour: black or white, whichever contrasts more. */
  onBrand: string;
  /** The focus ring: the brand colour when it stands out on white (3:1, WCAG 1.4.11), else near-black. */
  focus: string;
}

/** A neutral blue, 6.7:1 against white text. */
export const DEFAULT_BRAND_COLOR = '#1d4ed8';
const DARK = '#111827';
const LIGHT = '#ffffff';

// Defence in depth: the value lands in the style element, where a stored value that slipped past
// validation could otherwise restyle or hide the form.
const BRAND_COLOR = /^#[0-9a-fA-F]{6}$/;

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
function luminance(color: string): number {
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = parseInt(color.slice(start, start + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (lighter + 0.05) / (darker + 0.05);
}

export function resolveBranding(branding: PageBranding): ResolvedBranding {
  const brand = branding.brandColor !== undefined && BRAND_COLOR.test(branding.brandColor) ? branding.brandColor : DEFAULT_BRAND_COLOR;
  return {
    displayName: branding.displayName?.trim() || branding.name,
    // Only https: the page's CSP would refuse anything else anyway, and then show a broken image.
    logoUrl: branding.logoUrl?.startsWith('https://') ? branding.logoUrl : undefined,
    brand,
    onBrand: contrastRatio(brand, LIGHT) >= contrastRatio(brand, DARK) ? LIGHT : DARK,
    focus: contrastRatio(brand, LIGHT) >= 3 ? brand : DARK,
  };
}
