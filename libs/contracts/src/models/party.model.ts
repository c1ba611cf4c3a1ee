import { IsOptional } from 'class-validator';

import { IsNonEmptyString } from '../decorators';

/**
 * A person with a Japanese postal address: the orderer (Rakuten OrdererModel) or a package's
 * recipient (Rakuten SenderModel). Personal data: never log it.
 */
export class Party {
  /** Full name, family name first, joined by a space (RMS familyName + firstName). */
  @IsNonEmptyString(300)
  name: string;

  /** Full name in katakana, family name first, joined by a space; absent when RMS has none. */
  @IsOptional()
  @IsNonEmptyString(300)
  nameKana?: string | null;

  /** E-mail address (Rakuten gives a masked relay address); absent for recipients. */
  @IsOptional()
  @IsNonEmptyString(320)
  email?: string | null;

  /** Phone number, RMS phoneNumber1-2-3 joined by hyphens, e.g. `03-1234-5678`. */
  @IsOptional()
  @IsNonEmptyString(40)
  phone?: string | null;

  /** Postal code, RMS zipCode1-zipCode2 joined by a hyphen, e.g. `150-0001`. */
  @IsOptional()
  @IsNonEmptyString(10)
  zipCode?: string | null;

  /** Prefecture (都道府県), e.g. `東京都`. */
  @IsOptional()
  @IsNonEmptyString(20)
  prefecture?: string | null;

  /** City, ward, town or village (市区町村). */
  @IsOptional()
  @IsNonEmptyString(200)
  city?: string | null;

  /** Rest of the address: street, number, building and room (それ以降の住所). */
  @IsOptional()
  @IsNonEmptyString(500)
  subAddress?: string | null;
}
