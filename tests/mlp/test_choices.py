"""The optimiser registry and the lists and limits front ends get from mlp.tools.choices.choices()."""

import json

import numpy as np
import pytest

import mlp


def test_registry_names_and_the_one_way_to_build():
    assert list(mlp.OPTIMIZERS)[:4] == ["sgd", "momentum", "rmsprop", "adam"]
    assert {"classic", "nesterov"} <= set(mlp.OPTIMIZERS)
    o = mlp.make_optimizer("classic", 0.4, beta=0.9)
    assert isinstance(o, mlp.Momentum)
    assert (o.form, o.nesterov, o.learning_rate, o.beta) == ("classic", False, 0.4, 0.9)
    n = mlp.make_optimizer("nesterov", 4, beta=0.8)
    assert (n.form, n.nesterov, n.beta) == ("average", True, 0.8)
    assert mlp.make_optimizer("momentum", 4).form == "average"
    assert isinstance(mlp.make_optimizer("adam", 0.01, beta1=0.8), mlp.Adam)
    for name, choice in mlp.OPTIMIZERS.items():  # the β keyword each entry names is one its class takes
        options = {choice.beta: 0.5} if choice.beta else {}
        assert isinstance(mlp.make_optimizer(name, 0.1, **options), mlp.Optimizer)


def test_registry_refuses_with_the_valid_choices():
    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs'; choose one of: sgd, momentum, rmsprop, "
                                         "adam, classic, nesterov"):
        mlp.make_optimizer("lbfgs", 0.1)
    with pytest.raises(ValueError, match="optimizer 'sgd' has no option 'beta'; it takes: weight_decay"):
        mlp.make_optimizer("sgd", 0.1, beta=0.9)
    with pytest.raises(ValueError, match="optimizer 'adam' has no option 'beta'; "
                                         "it takes: beta1, beta2, eps"):
        mlp.make_optimizer("adam", 0.1, beta=0.9)
    with pytest.raises(ValueError, match="learning rate must be a positive number; got nan"):
        mlp.make_optimizer("nesterov", float("nan"))


def test_classic_momentum_with_lr_times_one_minus_beta_takes_the_average_forms_steps():
    def steps(optimizer):
        w = np.array([1.0, -2.0])
        out = []
        for g in ([0.5, -1.0], [0.25, 0.5], [-1.0, 0.1]):
            optimizer.step({"w": w}, {"w": np.array(g)})
            out.append(w.copy())
        return out
    np.testing.assert_allclose(steps(mlp.make_optimizer("momentum", 4, beta=0.9)),
                               steps(mlp.make_optimizer("classic", 0.4, beta=0.9)), rtol=1e-12)


def test_choices_is_one_json_dict_of_lists_and_limits():
    c = mlp.tools.choices.choices()
    assert json.loads(json.dumps(c)) == c
    assert c["activations"] == list(mlp.ACTIVATIONS) and c["dtypes"] == ["float32", "float64"]
    assert (c["inputs"], c["classes"]) == (784, 10)
    assert [o["name"] for o in c["optimizers"]] == list(mlp.OPTIMIZERS)
    assert all(o["description"] and "\n" not in o["description"] for o in c["optimizers"])
    beta = {o["name"]: o["beta"] for o in c["optimizers"]}
    assert beta == {"sgd": None, "momentum": "beta", "classic": "beta", "nesterov": "beta", "rmsprop": "rho",
                    "adam": "beta1"}
    limits = c["limits"]
    assert limits["units"] == [1, 4096] and limits["parameters"][1] == 20_000_000
    assert limits["learning_rate"] == [0, 100] and limits["beta"] == [0, 1]
    assert limits["seed"] == [0, 2**32 - 1]
    for name in ("layers", "batch_size", "epochs"):
        assert 1 == limits[name][0] < limits[name][1]
    c["limits"]["units"][1] = 1  # a copy: changing it changes nothing in mlp
    assert mlp.tools.choices.choices()["limits"]["units"][1] == 4096
