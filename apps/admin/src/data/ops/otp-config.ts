// The OTP limits of the supabase/config.toml this dashboard was built with (read by readOtpLimits, otp-limits.ts).
import configToml from '../../../../../supabase/config.toml?raw';
import { readOtpLimits, type OtpLimit } from './otp-limits.ts';

export const OTP_LIMITS: readonly OtpLimit[] = readOtpLimits(configToml);
