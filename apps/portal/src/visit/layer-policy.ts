/**
 * Which simulcast layer a viewer asks for (docs/consultation-protocol.md, "Rural bandwidth").
 * The camera is captured at 640×360 and sent in three encodings (visit-session.ts), so the
 * layers are 90, 180 and 360 pixels high. The viewer asks for the lowest layer that fills its
 * tile (its rendered height in device pixels) and no more than its network allows; mediasoup then
 * forwards, at most, that layer, lower while its own estimate of the viewer's downlink (transport-cc)
 * cannot carry it.
 */
export const LAYER_HEIGHTS = [90, 180, 360] as const;
export const TOP_LAYER = LAYER_HEIGHTS.length - 1;

/**
 * What the browser measures of its connection (the Network Information API, Chromium/Android).
 * Its `downlink` figure is not used: with no traffic to measure, Chromium reports 1.4–1.6 Mbit/s
 * on any link (seen on this project's machines), while `effectiveType` follows measured round trips.
 */
export interface Downlink {
  /** 'slow-2g' | '2g' | '3g' | '4g', from measured round trips and throughput. */
  effectiveType?: string;
  /** The user asked the browser to save data. */
  saveData?: boolean;
}

/** A picture up to a third larger than the layer still looks right (it is scaled up a little). */
const UPSCALE = 4 / 3;

/**
 * The lowest layer that fills a tile `height` CSS pixels high on a screen of `pixelRatio` (capped
 * at 2: a phone's 3× screen does not need more than twice the pixels). No size yet: the top layer.
 */
export function layerForTile(height: number, pixelRatio = 1): number {
  if (!(height > 0)) return TOP_LAYER;
  const pixels = height * Math.min(Math.max(pixelRatio, 1), 2);
  const fits = LAYER_HEIGHTS.findIndex((h) => h * UPSCALE >= pixels);
  return fits === -1 ? TOP_LAYER : fits;
}

/**
 * The highest layer the connection allows: save-data or a 2G link gets the lowest (≈ 100 kbit/s
 * per camera), a 3G link the middle one (≈ 300 kbit/s), otherwise any.
 */
export function layerForNetwork(net?: Downlink): number {
  if (!net) return TOP_LAYER;
  if (net.saveData || net.effectiveType === '2g' || net.effectiveType === 'slow-2g') return 0;
  if (net.effectiveType === '3g') return 1;
  return TOP_LAYER;
}

export function preferredLayer(height: number | undefined, pixelRatio: number, net?: Downlink): number {
  return Math.min(layerForTile(height ?? 0, pixelRatio), layerForNetwork(net));
}
