import { defineErrorCodes } from '@casebook/platform';

/** The moderation API's own problems; each maps to its status in the one problem filter. */
export const ModerationErrorCode = defineErrorCodes({
  /** Neither `text` nor `texts`, or both, or an empty list. */
  TextRequired: ['MODERATION_TEXT_REQUIRED', 422],
  /** A rule-set draft that does not validate or compile; `problems` names every bad rule and pattern. */
  RuleSetInvalid: ['RULE_SET_INVALID', 422],
  RuleSetNotFound: ['RULE_SET_NOT_FOUND', 404],
});
