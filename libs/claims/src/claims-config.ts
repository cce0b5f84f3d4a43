import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { defaultDataDir } from '@mekong/terminology';

/** The service a visit bills (XML3): one of the national technical-services list's codes. */
export interface VisitService {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  /** MA_NHOM (cost group; 13 = examination per QĐ 130's group list). */
  readonly costGroup: number;
}

/** One facility's claims settings (docs/claims-xml130.md "Configuration"). */
export interface FacilityClaimsConfig {
  /** MA_KHOA of the telehealth department. */
  readonly departmentCode: string;
  /** MA_TTDV: identifier of the head of the facility (or delegate) who signs the claims. */
  readonly headOfFacilityId: string;
  /** MA_LOAI_KCB of a video visit (QĐ 130 list; `14` remote care is [unverified], see the list's doc). */
  readonly careType: string;
  /** MA_DOITUONG_KCB of an insured visit, and of an uninsured one. */
  readonly insuredCategory: string;
  readonly uninsuredCategory: string;
  readonly visitService: VisitService;
  /**
   * The paraclinical services the facility bills besides the visit (tests done at the station,
   * an ECG read remotely…), by their MA_DICH_VU: a completed ServiceRequest of the visit coded
   * with one of them is an XML3 line, and its results (Observations based on it) are XML4 rows.
   */
  readonly services?: readonly VisitService[];
  /** Prices in đồng by code (services and drugs), from the facility's price list in force. */
  readonly prices: ReadonlyMap<string, number>;
}

interface PriceListFile {
  readonly facility?: string;
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly items: readonly { code: string; price: number }[];
}

interface RawFacility extends Omit<FacilityClaimsConfig, 'prices'> {
  /** A price list file (format: libs/terminology/data/price-lists/README.md) or its items inline. */
  readonly priceList: string | PriceListFile;
}

interface RawConfig {
  readonly facilities: Readonly<Record<string, RawFacility>>;
  /** Benefit percent by the benefit-level digit of a 15-character card (3rd character). */
  readonly benefitLevels?: Readonly<Record<string, number>>;
}

/**
 * The card's benefit-level digit → percent as shipped (libs/terminology/data/price-lists/
 * benefit-levels.json `card.benefitCodes`; [unverified]: QĐ 1351/QĐ-BHXH was not read, see the file).
 */
function shippedBenefitLevels(): Record<string, number> {
  const file = join(defaultDataDir(), 'price-lists', 'benefit-levels.json');
  if (!existsSync(file)) return {};
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    card?: { benefitCodes?: { code: string; percent: number }[] };
  };
  return Object.fromEntries((data.card?.benefitCodes ?? []).map((b) => [b.code, b.percent]));
}

/** The price list in force on `day` (validFrom ≤ day ≤ validTo). */
function inForce(list: PriceListFile, day: string): boolean {
  return (!list.validFrom || list.validFrom <= day) && (!list.validTo || list.validTo >= day);
}

/**
 * Claims settings from `CLAIMS_CONFIG_FILE` (a JSON file) or `CLAIMS_CONFIG` (the JSON itself):
 * per facility (`Organization/<id>`), its department, head, type of care, visit service and price
 * list. Read once at start; a malformed file stops the start.
 */
@Injectable()
export class ClaimsConfig {
  private readonly facilities = new Map<string, FacilityClaimsConfig>();
  private readonly benefitLevels: Readonly<Record<string, number>>;

  constructor(
    raw: RawConfig | undefined = ClaimsConfig.fromEnv(),
    baseDir = process.cwd(),
    today = new Date(),
  ) {
    this.benefitLevels = raw?.benefitLevels ?? shippedBenefitLevels();
    const day = today.toISOString().slice(0, 10);
    for (const [org, f] of Object.entries(raw?.facilities ?? {})) {
      for (const k of [
        'departmentCode',
        'headOfFacilityId',
        'careType',
        'insuredCategory',
        'uninsuredCategory',
      ] as const)
        if (typeof f[k] !== 'string' || f[k] === '')
          throw new Error(`claims config ${org}: ${k} is required`);
      for (const sv of [f.visitService, ...(f.services ?? [])])
        if (
          typeof sv?.code !== 'string' ||
          !sv.code ||
          typeof sv.name !== 'string' ||
          typeof sv.unit !== 'string' ||
          !Number.isInteger(sv.costGroup)
        )
          throw new Error(`claims config ${org}: a service needs code, name, unit and an integer costGroup`);
      const list: PriceListFile =
        typeof f.priceList === 'string'
          ? (JSON.parse(
              readFileSync(isAbsolute(f.priceList) ? f.priceList : join(baseDir, f.priceList), 'utf8'),
            ) as PriceListFile)
          : f.priceList;
      if (!Array.isArray(list?.items)) throw new Error(`claims config ${org}: the price list has no items`);
      const prices = new Map<string, number>();
      if (inForce(list, day))
        for (const it of list.items) {
          if (typeof it.price !== 'number' || !(it.price >= 0))
            throw new Error(`claims config ${org}: price of ${it.code} is not a number ≥ 0`);
          prices.set(it.code, it.price);
        }
      this.facilities.set(org, { ...f, prices });
    }
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): RawConfig | undefined {
    return ClaimsConfig.parse({ config: env.CLAIMS_CONFIG, configFile: env.CLAIMS_CONFIG_FILE });
  }

  /** From the app's configuration (CLAIMS_CONFIG_FILE wins over CLAIMS_CONFIG). */
  static parse(c: { config?: string; configFile?: string }): RawConfig | undefined {
    if (c.configFile) return JSON.parse(readFileSync(resolve(c.configFile), 'utf8')) as RawConfig;
    if (c.config) return JSON.parse(c.config) as RawConfig;
    return undefined;
  }

  facility(orgRef: string): FacilityClaimsConfig | undefined {
    return this.facilities.get(orgRef);
  }

  /**
   * MUC_HUONG of a card: the benefit-level digit of a 15-character card (its 3rd character) through
   * `benefitLevels`; a 10-digit card (2021 format) carries no level in its number, so the Coverage
   * must say it (Coverage.class type `plan`, value = the level digit). Undefined when unknown.
   */
  benefitPercent(cardNumber: string, coverage: { class?: unknown }): number | undefined {
    const plan = (
      (coverage.class ?? []) as { type?: { coding?: { code?: string }[] }; value?: string }[]
    ).find((c) => c.type?.coding?.some((x) => x.code === 'plan'))?.value;
    const digit = plan ?? (cardNumber.length === 15 ? cardNumber[2] : undefined);
    return digit !== undefined ? this.benefitLevels[digit] : undefined;
  }
}
