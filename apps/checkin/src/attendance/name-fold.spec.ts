import { foldName } from './name-fold';

describe('foldName', () => {
  it.each([
    ['Müller', 'muller'],
    ['ÄRGER', 'arger'],
    ['Łódź', 'lodz'],
    ['Straße', 'strasse'],
    ['GROẞ', 'gross'],
    ['Nguyễn', 'nguyen'],
    ['Søren Bjørn', 'soren bjorn'],
    ['Æsir Œuvre', 'aesir oeuvre'],
    ['Yıldız', 'yildiz'],
    ['Đorđević', 'dordevic'],
    ['Ñandú Çelik', 'nandu celik'],
    ['Иванов', 'иванов'],
    ['100% O’Brien', '100% o’brien'],
  ])('folds %j to %j', (text, folded) => {
    expect(foldName(text)).toBe(folded);
  });
});
