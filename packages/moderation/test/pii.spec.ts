import { naughtyStrings } from '@casebook/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cnpjValid, cpfValid, detectPii, evaluatePii, type PiiCorpusRow, type PiiHit } from '../src/pii';
import type { PiiType } from '../src/types';
import { seededRandom } from '@casebook/ml';
import { breakCheckDigit, buildCnpj, buildCpf, formatCnpj, formatCpf } from './support/pii-factories';

// The presidio-research corpus (MIT, data/pii/LICENSE), copied into the package so the test needs nothing outside it.
const CORPUS = join(__dirname, '..', 'data', 'pii', 'generated_large.json');

function only(type: PiiType, text: string, minScore = 0.5): PiiHit[] {
  return detectPii(text, { types: [type], minScore });
}

/** The single hit of `type`, asserted to cover exactly `value` inside `text`. */
function expectExact(type: PiiType, text: string, value: string): PiiHit {
  const hits = only(type, text);
  const from = text.indexOf(value);
  expect(hits.map((h) => [h.type, h.from, h.to])).toEqual([[type, from, from + value.length]]);
  return hits[0]!;
}

describe('detectPii', () => {
  describe('email', () => {
    it('When a message carries an address, then it is found with exact offsets', () => {
      expectExact(
        'email',
        'write to Anna.Schmidt+news@mail.example.co.uk, thanks',
        'Anna.Schmidt+news@mail.example.co.uk',
      );
    });
    it('When the text only looks like an address, then nothing is found', () => {
      expect(only('email', 'user@localhost, @handle, a..b@example.com, x@y.c')).toEqual([]);
    });
  });

  describe('phone', () => {
    it.each([
      ['call +49 30 12345678 today', '+49 30 12345678'],
      ['Telefon: +55 11 91234-5678', '+55 11 91234-5678'],
      ['ring +44 20 7946 0958 please', '+44 20 7946 0958'],
      ['us office (415) 555-2671 ok', '(415) 555-2671'],
      ['dots 415.555.2671 ok', '415.555.2671'],
      ['+1-415-555-2671x204 direct', '+1-415-555-2671x204'],
    ])('When a number is written as "%s", then it is found with exact offsets', (text, value) => {
      expectExact('phone', text, value);
    });
    it('When a number is preceded by a phone word, then its score is higher', () => {
      const bare = only('phone', 'reach 9493 7477', 0);
      const announced = only('phone', 'phone: 9493 7477', 0);
      expect(announced[0]!.score).toBeGreaterThan(bare[0]!.score);
      expect(announced[0]!.score).toBeGreaterThanOrEqual(0.5);
    });
    it('When digit runs are dates, IPs or SSNs, then they are not phones', () => {
      expect(only('phone', 'on 1997-02-21 at 10.0.0.1, ssn 123-45-6789')).toEqual([]);
    });
  });

  describe('credit card', () => {
    it.each([
      ['card 4111111111111111 ok', '4111111111111111'],
      ['card 4111 1111 1111 1111 exp 05/27', '4111 1111 1111 1111'],
      ['card 5500-0000-0000-0004.', '5500-0000-0000-0004'],
      ['amex 3782 822463 10005', '3782 822463 10005'],
      ['spaced 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 done', '4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'],
    ])('When a card is written as "%s", then it is found', (text, value) => {
      expectExact('credit_card', text, value);
    });
    it('When the Luhn check fails, then it is rejected', () => {
      expect(only('credit_card', 'card 4111 1111 1111 1112')).toEqual([]);
    });
    it('When "card" precedes the number, then the score is higher', () => {
      const bare = only('credit_card', 'number 6011000990139424')[0]!.score;
      const announced = only('credit_card', 'my credit card 6011000990139424')[0]!.score;
      expect(announced).toBeGreaterThan(bare);
    });
  });

  describe('IBAN', () => {
    it.each([
      ['IBAN DE89 3704 0044 0532 0130 00.', 'DE89 3704 0044 0532 0130 00'],
      ['to GB82WEST12345698765432 now', 'GB82WEST12345698765432'],
      ['conta BR1800360305000010009795493C1', 'BR1800360305000010009795493C1'],
    ])('When "%s" is scanned, then the IBAN is found', (text, value) => {
      expectExact('iban', text, value);
    });
    it('When the checksum or the country length is wrong, then it is rejected', () => {
      expect(only('iban', 'DE88 3704 0044 0532 0130 00 and DE89 3704 0044 0532 0130 0')).toEqual([]);
    });
  });

  describe('US SSN', () => {
    it('When a dashed SSN is written, then it is found', () => {
      expectExact('us_ssn', 'my SSN is 536-32-3065.', '536-32-3065');
    });
    it.each(['000-12-3456', '666-12-3456', '912-12-3456', '123-00-4567', '123-45-0000'])(
      'When the SSN %s was never issued, then it is rejected',
      (ssn) => {
        expect(only('us_ssn', `ssn ${ssn}`)).toEqual([]);
      },
    );
    it('When nine plain digits follow "social security", then they count; without context they do not', () => {
      expectExact('us_ssn', 'social security number 536323065', '536323065');
      expect(only('us_ssn', 'order 536323065')).toEqual([]);
    });
  });

  describe('Brazilian CPF and CNPJ', () => {
    const random = seededRandom(25);
    const cpfs = Array.from({ length: 20 }, () => buildCpf(random));
    const cnpjs = Array.from({ length: 20 }, () => buildCnpj(random));

    it('When valid generated CPFs are written formatted or plain after "CPF", then all are found', () => {
      for (const cpf of cpfs) {
        expect(cpfValid(cpf)).toBe(true);
        expectExact('br_cpf', `CPF: ${formatCpf(cpf)}`, formatCpf(cpf));
        expectExact('br_cpf', `meu CPF ${cpf}`, cpf);
      }
    });
    it('When a check digit is wrong or all digits are the same, then the CPF is rejected', () => {
      for (const cpf of cpfs) expect(only('br_cpf', `CPF ${formatCpf(breakCheckDigit(cpf))}`)).toEqual([]);
      expect(only('br_cpf', 'CPF 111.111.111-11')).toEqual([]);
    });
    it('When valid generated CNPJs are written, then all are found and broken ones are not', () => {
      for (const cnpj of cnpjs) {
        expect(cnpjValid(cnpj)).toBe(true);
        expectExact('br_cnpj', `CNPJ ${formatCnpj(cnpj)}`, formatCnpj(cnpj));
        expect(only('br_cnpj', `CNPJ ${formatCnpj(breakCheckDigit(cnpj))}`)).toEqual([]);
      }
    });
  });

  describe('IP addresses', () => {
    it('When IPv4 and compressed IPv6 addresses appear, then both are found', () => {
      const text = 'from 192.168.10.255 and 2001:db8::8a2e:370:7334 then';
      const hits = only('ip_address', text);
      expect(hits.map((h) => text.slice(h.from, h.to))).toEqual(['192.168.10.255', '2001:db8::8a2e:370:7334']);
    });
    it('When an octet exceeds 255 or a time looks like hex groups, then nothing is found', () => {
      expect(only('ip_address', 'version 999.999.999.999 at 14:02:26')).toEqual([]);
    });
  });

  describe('postal address', () => {
    it.each([
      ['I live at 123 Main St, Springfield, IL 62704 now', '123 Main St, Springfield, IL 62704'],
      ['Adresse: Hauptstraße 5, 10115 Berlin', 'Hauptstraße 5, 10115 Berlin'],
      ['moro na Rua Augusta, 123 em SP', 'Rua Augusta, 123'],
    ])('When "%s" is scanned, then the address is found', (text, value) => {
      expectExact('postal_address', text, value);
    });
  });

  describe('date of birth', () => {
    it('When a date follows "born" or "DOB", then it scores high; a plain meeting date scores low', () => {
      expect(only('date_of_birth', 'born on 3/23/1980')[0]!.score).toBeGreaterThanOrEqual(0.8);
      expect(only('date_of_birth', 'geboren am 3. März 1980')[0]!.score).toBeGreaterThanOrEqual(0.8);
      expect(only('date_of_birth', 'DOB: 1980-03-23', 0)[0]!.score).toBeGreaterThan(
        only('date_of_birth', 'meeting 2030-03-23', 0)[0]!.score,
      );
      expect(only('date_of_birth', 'meeting 2030-03-23')).toEqual([]);
    });
  });

  describe('person', () => {
    it.each([
      ['Hi, my name is Donald van der Voet and', 'Donald van der Voet'],
      ['Name: Judy Olsen\n', 'Judy Olsen'],
      ['please ask Frau Müller-Lüdenscheidt', 'Müller-Lüdenscheidt'],
      ['fale com a Sra. Maria Silva', 'Maria Silva'],
    ])('When a context word announces a name in "%s", then it is found', (text, value) => {
      expectExact('person', text, value);
    });
    it('When capitalised words appear without an announcement, then no name is guessed', () => {
      expect(only('person', 'Donald Smith went to Berlin with Judy.')).toEqual([]);
    });
  });

  describe('the whole pipeline', () => {
    it('When findings overlap, then hits are sorted and disjoint', () => {
      const text = 'card 4111 1111 1111 1111, phone (415) 555-2671, mail a@b.io, ssn 536-32-3065';
      const hits = detectPii(text);
      expect(hits.map((h) => h.type)).toEqual(['credit_card', 'phone', 'email', 'us_ssn']);
      for (let i = 1; i < hits.length; i += 1) expect(hits[i]!.from).toBeGreaterThanOrEqual(hits[i - 1]!.to);
    });
    it('When every naughty string is scanned, then none throws and offsets stay in range', () => {
      const strings = naughtyStrings();
      for (const s of strings) {
        for (const hit of detectPii(s, { minScore: 0 })) {
          expect(hit.from).toBeGreaterThanOrEqual(0);
          expect(hit.to).toBeLessThanOrEqual(s.length);
          expect(hit.score).toBeGreaterThanOrEqual(0);
          expect(hit.score).toBeLessThanOrEqual(1);
        }
      }
    });
    it('When the input is up to 1 MB of digits, separators or repeated triggers, then the scan stays linear', () => {
      const inputs = ['7'.repeat(1 << 20), '1-'.repeat(1 << 19), '1 '.repeat(1 << 17), 'a@'.repeat(1 << 17)];
      inputs.push('1:'.repeat(1 << 17), 'Mr. Aa '.repeat(1 << 15), '12 Main St '.repeat(1 << 14));
      // CPU time of this process (not wall clock, so other processes on the machine do not count), the
      // best of three runs per size: doubling the input may double it, a quadratic scan would make it 4×.
      const cpuMicros = (text: string): number => {
        let best = Infinity;
        for (let run = 0; run < 3; run += 1) {
          const before = process.cpuUsage();
          detectPii(text);
          const used = process.cpuUsage(before);
          best = Math.min(best, used.user + used.system);
        }
        return best;
      };
      for (const input of inputs) {
        const half = cpuMicros(input.slice(0, input.length >> 1));
        expect(cpuMicros(input)).toBeLessThan(half * 3.5 + 20_000);
      }
    });
  });

  describe('corpus evaluation (presidio-research generated_large.json)', () => {
    it('When the corpus is evaluated, then the five core types reach precision and recall 0.9', () => {
      const rows = JSON.parse(readFileSync(CORPUS, 'utf8')) as PiiCorpusRow[];
      const ev = evaluatePii(rows);
      for (const type of ['email', 'phone', 'credit_card', 'iban', 'us_ssn'] as const) {
        const m = ev.perType[type]!;
        expect({ type, precision: m.precision >= 0.9, recall: m.recall >= 0.9 }).toEqual({
          type,
          precision: true,
          recall: true,
        });
      }
    });
  });
});
