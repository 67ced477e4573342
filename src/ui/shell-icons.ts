import { svg } from 'lit';

// The icons of the first screens (the messenger's header and conversation list, the agent
// desk's), apart from the others (icons.ts), which load with the parts that draw them: the
// first load carries only these, and the agent desk draws without waiting for another chunk.
// Material Symbols paths (Apache-2.0), drawn in a 24×24 box.
export const icon = (path: string) =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${path}></path></svg>`;
// An icon that points along the line of text (back, send): mirrored in right-to-left text by
// the shared styles.
export const directional = (path: string) =>
  svg`<svg class="directional" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${path}></path></svg>`;

/** A filled shape with cut-outs (its subpaths drawn even-odd). */
export const cutIcon = (path: string) =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill-rule="evenodd" d=${path}></path></svg>`;

export const shellIcons = {
  compose: icon(
    'M5 19h1.4l8.6-8.6-1.4-1.4L5 17.6zm-2 2v-4.25L16.2 3.6q.3-.28.66-.43.37-.15.77-.15t.78.15q.38.15.65.45L20.4 5q.3.28.44.65.15.38.15.75 0 .4-.15.77-.14.36-.44.66L7.25 21zM19 6.4 17.6 5zm-4.7 3.3-.7-.7L15 10.4z',
  ),
  close: icon('M6.4 19 5 17.6l5.6-5.6L5 6.4 6.4 5l5.6 5.6L17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6z'),
  pending: icon(
    'M12 22q-2.07 0-3.9-.79-1.82-.79-3.17-2.14t-2.14-3.17Q2 14.07 2 12t.79-3.9q.79-1.82 2.14-3.17T8.1 2.79Q9.93 2 12 2t3.9.79q1.82.79 3.17 2.14t2.14 3.17Q22 9.93 22 12t-.79 3.9q-.79 1.82-2.14 3.17t-3.17 2.14Q14.07 22 12 22m0-2q3.35 0 5.68-2.32T20 12t-2.32-5.68T12 4 6.33 6.32 4 12t2.33 5.68T12 20m3.3-3.3 1.4-1.4-3.7-3.7V7h-2v5.4z',
  ),
  error: icon(
    'M12 17q.43 0 .71-.29T13 16t-.29-.71T12 15t-.71.29T11 16t.29.71.71.29m-1-4h2V7h-2zm1 9q-2.07 0-3.9-.79-1.82-.79-3.17-2.14t-2.14-3.17Q2 14.07 2 12t.79-3.9q.79-1.82 2.14-3.17T8.1 2.79Q9.93 2 12 2t3.9.79q1.82.79 3.17 2.14t2.14 3.17Q22 9.93 22 12t-.79 3.9q-.79 1.82-2.14 3.17t-3.17 2.14Q14.07 22 12 22',
  ),
  group: icon(
    'M1 20v-2.8q0-.85.44-1.56.44-.71 1.16-1.09 1.55-.78 3.15-1.16Q7.35 13 9 13t3.25.39q1.6.39 3.15 1.16.73.38 1.16 1.09.44.71.44 1.56V20zm18 0v-3q0-1.1-.61-2.11-.61-1.01-1.74-1.74 1.28.15 2.4.51 1.13.37 2.1.89.9.5 1.38 1.11Q23 16.28 23 17v3zM9 12q-1.65 0-2.83-1.18Q5 9.65 5 8t1.17-2.82Q7.35 4 9 4t2.83 1.18Q13 6.35 13 8t-1.17 2.82Q10.65 12 9 12m10-4q0 1.65-1.17 2.82Q16.65 12 15 12q-.28 0-.7-.06-.43-.07-.7-.14.68-.8 1.04-1.77Q15 9.05 15 8t-.36-2.02q-.36-.98-1.04-1.78.35-.13.7-.16Q14.65 4 15 4q1.65 0 2.83 1.18Q19 6.35 19 8',
  ),
  pin: icon(
    'M16 9V4h1q.43 0 .71-.29T18 3t-.29-.71T17 2H7q-.43 0-.71.29T6 3t.29.71T7 4h1v5q0 1.25-.87 2.12Q6.25 12 5 12v2h5.97v7l1 1 1-1v-7H19v-2q-1.25 0-2.12-.88Q16 10.25 16 9',
  ),
  muted: icon(
    'M20 18.69 7.84 6.14 5.27 3.49 4 4.76l2.8 2.8v.01q-.8 1.49-.8 3.42v5l-2 2v1h13.73l2 2L21 19.72zM12 22q.83 0 1.41-.59Q14 20.83 14 20h-4q0 .83.59 1.41Q11.17 22 12 22m6-7.32V11q0-2.3-1.2-4.07-1.2-1.78-3.3-2.25V4q0-.63-.44-1.06Q12.63 2.5 12 2.5t-1.06.44Q10.5 3.37 10.5 4v.68q-.5.12-.92.3z',
  ),
  search: icon(
    'M19.6 21l-6.3-6.3q-.75.6-1.72.95T9.5 16q-2.72 0-4.61-1.89T3 9.5t1.89-4.61T9.5 3t4.61 1.89T16 9.5q0 1.1-.35 2.08t-.95 1.72l6.3 6.3zM9.5 14q1.88 0 3.19-1.31T14 9.5t-1.31-3.19T9.5 5 6.31 6.31 5 9.5t1.31 3.19T9.5 14',
  ),
  bell: icon(
    'M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2m6-6v-5c0-3.07-1.64-5.64-4.5-6.32V4a1.5 1.5 0 0 0-3 0v.68C7.63 5.36 6 7.92 6 11v5l-2 2v1h16v-1z',
  ),
  bellOff: icon(
    'M20 18.69 7.84 6.14 5.27 3.49 4 4.76l2.8 2.8v.01c-.52.99-.8 2.16-.8 3.42v5l-2 2v1h13.73l2 2L21 19.72zM12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2m6-7.32V11c0-3.08-1.64-5.64-4.5-6.32V4a1.5 1.5 0 0 0-3 0v.68q-.23.05-.42.12l-.3.11-.03.01q-.35.14-.69.32z',
  ),
  person: icon(
    'M12 12q-1.65 0-2.82-1.17Q8 9.65 8 8t1.18-2.82Q10.35 4 12 4t2.83 1.18Q16 6.35 16 8t-1.17 2.83Q13.65 12 12 12m-8 8v-2.8q0-.85.44-1.56.43-.71 1.16-1.09 1.55-.77 3.15-1.16Q10.35 13 12 13t3.25.39q1.6.39 3.15 1.16.73.38 1.16 1.09.44.71.44 1.56V20z',
  ),
};
