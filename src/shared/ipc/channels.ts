import { contract, type Channel } from './contract';

export const CHANNELS = Object.keys(contract) as Channel[];
