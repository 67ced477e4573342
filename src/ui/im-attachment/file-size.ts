/** Sizes as people read them, in the widget's language: "820 bytes", "1.5 MB", "20 MB". */
const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** Steps of 1024, as file managers on most desktops count (a 20 MiB limit reads "20 MB"). */
export function formatFileSize(bytes: number, lang: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit: units[unit],
    // CLDR's short form of a byte is "byte" ("45 byte"): the long form reads right.
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit > 0 && value < 10 ? 1 : 0,
  }).format(value);
}
