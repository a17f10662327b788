use interceptmc::backend::gpu::layout::Window;
use interceptmc::backend::{cpu::CpuBackend, Backend};
use interceptmc::batch::Batch;
use interceptmc::kernel::propagate_slot;
use interceptmc::scenario::Scenario;
fn main() {
    let sc = Scenario::default_scenario();
    let b = Batch::new(&sc);
    for trial in [8457u64, 15209] {
        let mut w32 = vec![Window::default(); b.batteries.len()];
        let t32 = propagate_slot::<f32>(&b, trial, 0, &mut w32);
        let mut w64 = vec![Window::default(); b.batteries.len()];
        let t64 = propagate_slot::<f64>(&b, trial, 0, &mut w64);
        println!("trial {trial}\n f32 track {:?}\n  windows {:?}\n f64 track {:?}\n  windows {:?}", t32, w32, t64, w64);
        let out = CpuBackend.run(&b, trial..trial + 1, true).unwrap();
        println!(" backend record {:?}", out.records[0].outcome);
    }
}
