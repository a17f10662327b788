// TEMPORARY
use interceptmc::backend::gpu::layout::Window;
use interceptmc::batch::Batch;
use interceptmc::scenario::Scenario;
#[test]
fn steps() {
    for f in ["/tmp/only_irbm.toml", "/tmp/only_hgv.toml", "/tmp/only_hcm.toml"] {
        let text = std::fs::read_to_string(f).unwrap();
        let b = Batch::new(&Scenario::from_toml_str(&text, f).unwrap());
        let mut v: Vec<u32> = (0..4000u64).map(|t| {
            let mut w = vec![Window::default(); b.batteries.len()];
            interceptmc::kernel::propagate_slot::<f32>(&b, t, 0, &mut w).steps
        }).collect();
        // max over groups of 8 consecutive
        let groups: u64 = v.chunks(8).map(|c| *c.iter().max().unwrap() as u64).sum::<u64>() * 8;
        let total: u64 = v.iter().map(|&x| x as u64).sum();
        v.sort();
        println!("ST {f}: min {} p50 {} p99 {} max {} total {total} simd-cost {groups} ratio {:.2}", v[0], v[2000], v[3960], v[3999], groups as f64 / total as f64);
    }
}
