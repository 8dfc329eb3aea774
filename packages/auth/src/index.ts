export * from './principal';
export * from './authorization/require-permission.decorator';
export { Public, IS_PUBLIC_KEY } from '@casebook/platform';
