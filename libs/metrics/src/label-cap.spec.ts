import { LabelCap, OTHER_LABEL } from './label-cap';

describe('LabelCap', () => {
  it('keeps the first distinct values and counts every later one as other', () => {
    const cap = new LabelCap(2);
    expect(cap.label('Nord')).toBe('Nord');
    expect(cap.label('Süd')).toBe('Süd');
    expect(cap.label('West')).toBe(OTHER_LABEL);
    expect(cap.label('Ost')).toBe(OTHER_LABEL);
    // values kept before the limit stay themselves
    expect(cap.label('Nord')).toBe('Nord');
    expect(cap.size).toBe(2);
  });

  it('names a missing value by its fallback, without using up a place', () => {
    const cap = new LabelCap(1, 'main');
    expect(cap.label(undefined)).toBe('main');
    expect(cap.label('')).toBe('main');
    expect(cap.label('ws-1')).toBe('ws-1');
    expect(cap.size).toBe(1);
  });

  it('holds at most its limit, however many values come', () => {
    const cap = new LabelCap(50);
    const labels = new Set(Array.from({ length: 10_000 }, (_, i) => cap.label(`gate-${i}`)));
    expect(labels.size).toBe(51);
    expect(labels.has(OTHER_LABEL)).toBe(true);
  });
});
