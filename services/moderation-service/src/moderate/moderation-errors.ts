import { defineErrorCodes } from '@casebook/platform';

/** The moderation API's own problems; each maps to its status in the one problem filter. */
export const ModerationErrorCode = defineErrorCodes({
  /** Neither `text` nor `texts`, or both, or an empty list. */
  TextRequired: ['MODERATION_TEXT_REQUIRED', 422],
});
