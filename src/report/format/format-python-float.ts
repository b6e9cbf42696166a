/**
 * Python's `format(value, spec)` for a float, for the two specs OpenCompass output uses:
 *
 * - `'.Nf'` (e.g. `'.2f'`, what `'{:.2f}'.format(x)` does): fixed point with N decimals.
 * - `'g'` or `'.Ng'` (tabulate's default `floatfmt`): N significant digits (default 6, 0 means 1), trailing zeros
 *   and a trailing point removed, scientific notation (`1e+06`, `1e-05`) when the decimal exponent is below -4 or
 *   at least N.
 *
 * Rounding is exact and half-to-even on the binary value, as CPython does. That differs from JS `toFixed`, which
 * rounds exact ties away from zero: `0.125` gives `'0.12'` here (toFixed: `'0.13'`), `55.125` gives `'55.12'`,
 * `0.375` gives `'0.38'`. Values that merely look like ties are not: `2.675` is stored as 2.67499999… and gives
 * `'2.67'`, `1.005` gives `'1.00'` (toFixed agrees on those). Other differences from toFixed: `-0` keeps its sign
 * (`'-0.00'`), values of 1e21 and above are written in full rather than in exponent form, and NaN/±Infinity are
 * `'nan'`, `'inf'`, `'-inf'`.
 */
export function formatPythonFloat(value: number, spec: string): string {
  const match = /^(?:\.(\d+))?([fg])$/.exec(spec);
  if (match === null || (match[2] === 'f' && match[1] === undefined)) {
    throw new TypeError(`formatPythonFloat: unsupported format spec '${spec}' (use '.Nf', 'g' or '.Ng')`);
  }
  if (Number.isNaN(value)) return 'nan';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (!Number.isFinite(value)) return `${sign}inf`;
  const magnitude = Math.abs(value);
  if (match[2] === 'f') return sign + formatFixed(magnitude, Number(match[1]));
  const precision = Math.max(1, match[1] === undefined ? 6 : Number(match[1]));
  return sign + formatGeneral(magnitude, precision);
}

function formatFixed(magnitude: number, fractionDigits: number): string {
  const digits = scaleAndRound(magnitude, fractionDigits)
    .toString()
    .padStart(fractionDigits + 1, '0');
  if (fractionDigits === 0) return digits;
  return `${digits.slice(0, -fractionDigits)}.${digits.slice(-fractionDigits)}`;
}

function formatGeneral(magnitude: number, precision: number): string {
  if (magnitude === 0) return '0';
  const { digits, exponent } = roundToSignificant(magnitude, precision);
  if (exponent >= -4 && exponent < precision) {
    const padded = exponent < 0 ? '0'.repeat(-exponent) + digits : digits;
    const pointAt = exponent < 0 ? 1 : exponent + 1;
    return stripFraction(`${padded.slice(0, pointAt)}.${padded.slice(pointAt)}`);
  }
  const mantissa = stripFraction(`${digits.slice(0, 1)}.${digits.slice(1)}`);
  const exponentText = String(Math.abs(exponent)).padStart(2, '0');
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${exponentText}`;
}

/** `precision` significant digits of a positive finite value, and the decimal exponent of the first one. */
function roundToSignificant(magnitude: number, precision: number): { digits: string; exponent: number } {
  let exponent = Math.floor(Math.log10(magnitude));
  // log10 can be off by one near powers of ten, and rounding can carry into a new digit (999999.5 -> 1e+06).
  for (;;) {
    const digits = scaleAndRound(magnitude, precision - 1 - exponent).toString();
    if (digits.length > precision) exponent += 1;
    else if (digits.length < precision) exponent -= 1;
    else return { digits, exponent };
  }
}

function stripFraction(text: string): string {
  return text.replace(/\.?0*$/, '');
}

/** round-half-even(magnitude × 10^decimalShift), computed exactly; `decimalShift` may be negative. */
function scaleAndRound(magnitude: number, decimalShift: number): bigint {
  const { mantissa, binaryExponent } = decompose(magnitude);
  let numerator = mantissa;
  let denominator = 1n;
  if (binaryExponent >= 0) numerator <<= BigInt(binaryExponent);
  else denominator <<= BigInt(-binaryExponent);
  if (decimalShift >= 0) numerator *= 10n ** BigInt(decimalShift);
  else denominator *= 10n ** BigInt(-decimalShift);
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  const roundUp = twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n);
  return roundUp ? quotient + 1n : quotient;
}

/** A finite non-negative double as exactly `mantissa × 2^binaryExponent`. */
function decompose(magnitude: number): { mantissa: bigint; binaryExponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, magnitude);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biasedExponent === 0) return { mantissa: fraction, binaryExponent: -1074 };
  return { mantissa: fraction | (1n << 52n), binaryExponent: biasedExponent - 1075 };
}
