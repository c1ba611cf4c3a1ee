import { MIN_PASSWORD_LENGTH, passwordProblems } from './password-policy';

describe('password policy', () => {
  it('accepts a long password that is no common one and not the e-mail', () => {
    expect(passwordProblems('violet-harbour-tram-71', 'kim@example.com')).toEqual([]);
  });

  it(`refuses fewer than ${MIN_PASSWORD_LENGTH} characters, naming the field`, () => {
    expect(passwordProblems('Sh0rt!pass', null)).toEqual([
      'password must be at least 12 characters long',
    ]);
    // Characters, not UTF-16 units: 12 Hangul syllables are 12 characters.
    expect(passwordProblems('가나다라마바사아자차카타', null)).toEqual([]);
  });

  it.each(['qwerty123456', '1q2w3e4r5t6y', 'QAZWSXEDCRFV', 'password123456!', '!!!iloveyou2024'])(
    'refuses the common password %j (also with digits or symbols around it)',
    (password) => {
      expect(passwordProblems(password, null)).toEqual([
        'password is a commonly used password; choose another',
      ]);
    },
  );

  it('refuses one or two characters repeated', () => {
    expect(passwordProblems('zzzzzzzzzzzzzz', null)[0]).toContain('too few different characters');
    expect(passwordProblems('xyxyxyxyxyxyxy', null)[0]).toContain('too few different characters');
  });

  it('refuses the e-mail address itself, or its name part with digits', () => {
    expect(passwordProblems('Haruka.Sato@Example.com', 'haruka.sato@example.com')).toEqual([
      'password must not be your e-mail address',
    ]);
    expect(passwordProblems('haruka.sato2024', 'haruka.sato@example.com')).toEqual([
      'password must not be your e-mail address',
    ]);
  });

  it('names another field when asked', () => {
    expect(passwordProblems('short', null, 'newPassword')[0]).toMatch(/^newPassword /);
  });
});
