import type { ComplexAttributeConverter } from 'lit';
import type { PrechatField, SupportContext } from '../../protocol/index.js';

/**
 * The `context` attribute: a JSON object. Anything else is ignored (and said in the
 * console), so that a typo in the page's markup never breaks the chat.
 */
export const contextConverter: ComplexAttributeConverter<SupportContext | null> = {
  fromAttribute(value) {
    if (value === null || value.trim() === '') return null;
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as SupportContext;
    } catch {
      // Reported below.
    }
    console.warn('im-chat: the context attribute must be a JSON object, e.g. {"productId": "lamp-1"}');
    return null;
  },
};

const prechatFields: readonly string[] = ['off', 'optional', 'required'];

/** `prechat-name` / `prechat-email`: `off`, `optional` or `required`; anything else: as the server says. */
export const prechatConverter: ComplexAttributeConverter<PrechatField | null> = {
  fromAttribute(value) {
    return value !== null && prechatFields.includes(value) ? (value as PrechatField) : null;
  },
};
