/** As SQLite's `im_fold`: JavaScript's lower case, whatever the database's locale. */
export function fold(value: string): string {
  return value.toLowerCase();
}
