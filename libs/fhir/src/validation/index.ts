export { validateStructure, knownResourceTypes } from './structure-validator';
export {
  BHYT_SYSTEM,
  CCCD_PROVINCE_CODES,
  CCCD_SYSTEM,
  checkBhyt,
  checkCccd,
  validateVietnameseIdentifiers,
} from './vietnam-identifiers';
export { validateResource } from './validate-resource';
