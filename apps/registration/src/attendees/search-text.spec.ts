import { foldForSearch } from './search-text';

describe('foldForSearch', () => {
  it.each([
    ['Müller', 'muller'],
    ['Łódź', 'lodz'],
    ['Weiß', 'weiss'],
    ['Żółkiewska', 'zolkiewska'],
    ['Kierkegaard-Ørsted', 'kierkegaard-orsted'],
    ['Nguyễn Thị Hương', 'nguyen thi huong'],
    ['Yılmaz', 'yilmaz'],
    ['Šťastný', 'stastny'],
    ['Ольга', 'ольга'],
    ['  Anne   Kathrin ', 'anne kathrin'],
  ])('folds %s to %s', (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });
});
