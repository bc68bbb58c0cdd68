//! The weight floor: the smallest Yew app that reads a survey from JSON and lets a person answer it.
//!
//! `cargo xtask bench` builds this with the widget's profile, allocator and framework
//! crates and weighs it beside the widget, so the widget's weight can be read as the
//! framework's share plus the survey's own. It is never shipped.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

// The widget's allocator, for the same reason as there (widget/src/allocator.rs).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// One question: its title and its choices.
#[derive(Clone, PartialEq)]
struct Question {
    title: String,
    choices: Vec<String>,
}

#[derive(Properties, PartialEq)]
struct Props {
    questions: Vec<Question>,
}

/// One question a page: a text box, its choices as radio buttons, and Continue.
#[function_component]
fn Survey(props: &Props) -> Html {
    let page = use_state(|| 0usize);
    let text = use_state(String::new);
    let chosen = use_state(|| None::<usize>);
    let Some(question) = props.questions.get(*page) else {
        return html! { <h1>{ "Thank you" }</h1> };
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            text.set(input.value());
        })
    };
    let onsubmit = {
        let (page, text, chosen) = (page.clone(), text.clone(), chosen.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // Each question starts unanswered.
            text.set(String::new());
            chosen.set(None);
            page.set(*page + 1);
        })
    };
    html! {
        <form {onsubmit}>
            <h1>{ &question.title }</h1>
            <label for="text">{ "Your answer" }</label>
            <input id="text" type="text" value={(*text).clone()} {oninput} />
            <fieldset>
                <legend>{ "Choose one" }</legend>
                { for question.choices.iter().enumerate().map(|(index, label)| {
                    let chosen = chosen.clone();
                    let id = format!("choice-{index}");
                    html! {
                        <div key={index}>
                            <input type="radio" id={id.clone()} name="choice"
                                checked={*chosen == Some(index)}
                                onchange={Callback::from(move |_| chosen.set(Some(index)))} />
                            <label for={id}>{ label }</label>
                        </div>
                    }
                }) }
            </fieldset>
            if text.is_empty() && chosen.is_none() {
                <p>{ "Answer in the box, or choose one" }</p>
            }
            <button type="submit">{ "Continue" }</button>
        </form>
    }
}

/// Renders the survey in `definition` (`[{"title": ..., "choices": [...]}, ...]`) into `host`.
#[wasm_bindgen]
pub fn mount(host: web_sys::Element, definition: &str) {
    let questions = match serde_json::from_str::<serde_json::Value>(definition) {
        Ok(serde_json::Value::Array(items)) => items.iter().filter_map(question).collect(),
        _ => Vec::new(),
    };
    yew::Renderer::<Survey>::with_root_and_props(host, Props { questions }).render();
}

fn question(item: &serde_json::Value) -> Option<Question> {
    Some(Question {
        title: item.get("title")?.as_str()?.to_owned(),
        choices: item
            .get("choices")?
            .as_array()?
            .iter()
            .filter_map(|choice| choice.as_str().map(str::to_owned))
            .collect(),
    })
}
