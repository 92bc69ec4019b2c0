//! The two 16-bit floating-point formats of trained weights, converted exactly to `f64` (every
//! value of either is an `f64`): IEEE 754 binary16 (`F16`: 1 sign, 5 exponent and 10 fraction
//! bits) and bfloat16 (`BF16`: the top 16 bits of an IEEE 754 binary32).

/// The value of an IEEE 754 binary16 number, exactly; NaN and the infinities stay what they
/// are (the reader refuses them with the tensor's name).
pub fn f16_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 == 0 { 1.0 } else { -1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let fraction = f64::from(bits & 0x03ff);
    let magnitude = match exponent {
        // Subnormal: fraction · 2^-24.
        0 => fraction * 2f64.powi(-24),
        0x1f if fraction == 0.0 => f64::INFINITY,
        0x1f => f64::NAN,
        // Normal: (1024 + fraction) · 2^(exponent − 15 − 10).
        _ => (1024.0 + fraction) * 2f64.powi(exponent - 25),
    };
    sign * magnitude
}

/// The value of a bfloat16 number, exactly: the `f32` whose top 16 bits these are.
pub fn bf16_to_f64(bits: u16) -> f64 {
    f64::from(f32::from_bits(u32::from(bits) << 16))
}
