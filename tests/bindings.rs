//! The binding table of `backend::gpu::bindings` and the WGSL kernel's `@group @binding`
//! globals are the same list: naga parses the composed kernel (no GPU needed) and every global
//! with a binding must be a table entry with the same name, group, binding number and address
//! space, and every table entry must be declared by the shader.

use std::collections::BTreeMap;

use interceptmc::backend::gpu::bindings::{Space, BINDINGS, GROUP, UNIFORM_SLOTS};
use interceptmc::backend::gpu::shaders::kernel_source;
use naga::AddressSpace;

/// (group, binding) -> (name, space) of the shader's bound globals.
fn shader_bindings() -> BTreeMap<(u32, u32), (String, Space)> {
    let source = kernel_source();
    let module = naga::front::wgsl::parse_str(&source).expect("kernel parses");
    module
        .global_variables
        .iter()
        .filter_map(|(_, g)| {
            let rb = g.binding.as_ref()?;
            let space = match g.space {
                AddressSpace::Uniform => Space::Uniform,
                AddressSpace::Storage { access } => {
                    assert!(
                        access.contains(naga::StorageAccess::STORE),
                        "{:?}: the layout binds every storage buffer read_write",
                        g.name
                    );
                    Space::Storage
                }
                other => panic!("{:?}: unexpected address space {other:?}", g.name),
            };
            Some((
                (rb.group, rb.binding),
                (g.name.clone().expect("named"), space),
            ))
        })
        .collect()
}

#[test]
fn binding_table_equals_the_shader_globals() {
    let shader = shader_bindings();
    for b in BINDINGS {
        let key = (GROUP, b.slot.index());
        let (name, space) = shader.get(&key).unwrap_or_else(|| {
            panic!(
                "the shader has no global at group {GROUP} binding {}",
                key.1
            )
        });
        assert_eq!(name, b.name, "binding {}: name", key.1);
        assert_eq!(*space, b.space, "binding {} ({name}): address space", key.1);
    }
    assert_eq!(
        shader.len(),
        BINDINGS.len(),
        "the shader binds globals the table lacks: {shader:?}"
    );
}

/// The table read by hand: six uniforms (run parameters, four scenario tables, the chunk) then
/// seven storage buffers, numbered 0 to 12 in order.
#[test]
fn binding_table_by_hand() {
    let uniforms: Vec<&str> = BINDINGS
        .iter()
        .filter(|b| b.space == Space::Uniform)
        .map(|b| b.name)
        .collect();
    assert_eq!(
        uniforms,
        [
            "u_params",
            "u_classes",
            "u_sensors",
            "u_interceptors",
            "u_batteries",
            "u_chunk"
        ]
    );
    for (i, b) in BINDINGS.iter().enumerate() {
        assert_eq!(b.slot.index() as usize, i);
        assert_eq!(b.space == Space::Uniform, i < 6);
    }
    assert!(UNIFORM_SLOTS
        .iter()
        .all(|s| BINDINGS[s.index() as usize].space == Space::Uniform));
    assert_eq!(UNIFORM_SLOTS.len(), uniforms.len());
}
