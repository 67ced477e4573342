/** The launcher's chat bubble (a Material Symbols path, 24×24): the widget's and the loader's stand-in alike. */
export const chatIconPath =
  'M2 22V4q0-.82.59-1.41T4 2h16q.82 0 1.41.59T22 4v12q0 .82-.59 1.41T20 18H6zm4-8h8v-2H6zm0-3h12V9H6zm0-3h12V6H6z';
