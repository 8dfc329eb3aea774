export { termDigests, termQuery } from './terms';
