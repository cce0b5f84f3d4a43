import { describe, expect, it } from 'vitest';
import { layerForNetwork, layerForTile, preferredLayer } from './layer-policy';

describe('simulcast layer a viewer asks for', () => {
  it('is the lowest layer (90, 180, 360 px high) that fills the tile, up to a third scaled up', () => {
    expect(layerForTile(100)).toBe(0); // a thumbnail
    expect(layerForTile(120)).toBe(0); // 90 px scaled up by a third
    expect(layerForTile(121)).toBe(1);
    expect(layerForTile(234)).toBe(1); // three tiles side by side on a laptop
    expect(layerForTile(241)).toBe(2);
    expect(layerForTile(358)).toBe(2); // two tiles on a laptop
    expect(layerForTile(1080)).toBe(2); // full screen: the top layer is the most there is
  });

  it('counts device pixels, a phone screen at most twice', () => {
    expect(layerForTile(100, 2)).toBe(1); // 200 device pixels
    expect(layerForTile(194, 1)).toBe(1); // a 360 px wide phone at 1×
    expect(layerForTile(194, 3)).toBe(2); // at 3× counted as 2×: 388
    expect(layerForTile(100, 3)).toBe(1); // 200 device pixels, not 300
    expect(layerForTile(100, 0.5)).toBe(0); // zoomed out: never below 1×
  });

  it('asks for the top layer while the tile has no size yet (mediasoup still adapts to the link)', () => {
    expect(layerForTile(0)).toBe(2);
    expect(layerForTile(Number.NaN)).toBe(2);
  });

  it('is capped by what the browser measures of the connection', () => {
    expect(layerForNetwork(undefined)).toBe(2); // the browser does not tell
    expect(layerForNetwork({ effectiveType: '4g' })).toBe(2);
    expect(layerForNetwork({ effectiveType: '3g' })).toBe(1);
    expect(layerForNetwork({ effectiveType: '2g' })).toBe(0);
    expect(layerForNetwork({ effectiveType: 'slow-2g' })).toBe(0);
    expect(layerForNetwork({ effectiveType: '4g', saveData: true })).toBe(0);
    expect(layerForNetwork({})).toBe(2); // no estimate
  });

  it('takes the lower of the two', () => {
    expect(preferredLayer(358, 1, { effectiveType: '3g' })).toBe(1);
    expect(preferredLayer(100, 1, { effectiveType: '4g' })).toBe(0);
    expect(preferredLayer(undefined, 1, { effectiveType: '2g' })).toBe(0);
    expect(preferredLayer(undefined, 1, undefined)).toBe(2);
  });
});
