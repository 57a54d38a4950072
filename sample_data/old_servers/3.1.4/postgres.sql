--
-- PostgreSQL database dump
--

-- Dumped from database version 16.2
-- Dumped by pg_dump version 16.2

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: datasets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.datasets (
    dataset_uuid character varying(36) NOT NULL,
    experiment_id integer NOT NULL,
    name character varying(500) NOT NULL,
    digest character varying(36) NOT NULL,
    dataset_source_type character varying(36) NOT NULL,
    dataset_source text NOT NULL,
    dataset_schema text,
    dataset_profile text
);


--
-- Name: experiment_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.experiment_tags (
    key character varying(250) NOT NULL,
    value character varying(5000),
    experiment_id integer NOT NULL
);


--
-- Name: experiments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.experiments (
    experiment_id integer NOT NULL,
    name character varying(256) NOT NULL,
    artifact_location character varying(256),
    lifecycle_stage character varying(32),
    creation_time bigint,
    last_update_time bigint,
    CONSTRAINT experiments_lifecycle_stage CHECK (((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying, 'deleted'::character varying])::text[])))
);


--
-- Name: experiments_experiment_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.experiments_experiment_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: experiments_experiment_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.experiments_experiment_id_seq OWNED BY public.experiments.experiment_id;


--
-- Name: input_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.input_tags (
    input_uuid character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    value character varying(500) NOT NULL
);


--
-- Name: inputs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inputs (
    input_uuid character varying(36) NOT NULL,
    source_type character varying(36) NOT NULL,
    source_id character varying(36) NOT NULL,
    destination_type character varying(36) NOT NULL,
    destination_id character varying(36) NOT NULL,
    step bigint DEFAULT '0'::bigint NOT NULL
);


--
-- Name: latest_metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.latest_metrics (
    key character varying(250) NOT NULL,
    value double precision NOT NULL,
    "timestamp" bigint,
    step bigint NOT NULL,
    is_nan boolean NOT NULL,
    run_uuid character varying(32) NOT NULL
);


--
-- Name: logged_model_metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.logged_model_metrics (
    model_id character varying(36) NOT NULL,
    metric_name character varying(500) NOT NULL,
    metric_timestamp_ms bigint NOT NULL,
    metric_step bigint NOT NULL,
    metric_value double precision,
    experiment_id integer NOT NULL,
    run_id character varying(32) NOT NULL,
    dataset_uuid character varying(36),
    dataset_name character varying(500),
    dataset_digest character varying(36)
);


--
-- Name: logged_model_params; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.logged_model_params (
    model_id character varying(36) NOT NULL,
    experiment_id integer NOT NULL,
    param_key character varying(255) NOT NULL,
    param_value text NOT NULL
);


--
-- Name: logged_model_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.logged_model_tags (
    model_id character varying(36) NOT NULL,
    experiment_id integer NOT NULL,
    tag_key character varying(255) NOT NULL,
    tag_value text NOT NULL
);


--
-- Name: logged_models; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.logged_models (
    model_id character varying(36) NOT NULL,
    experiment_id integer NOT NULL,
    name character varying(500) NOT NULL,
    artifact_location character varying(1000) NOT NULL,
    creation_timestamp_ms bigint NOT NULL,
    last_updated_timestamp_ms bigint NOT NULL,
    status integer NOT NULL,
    lifecycle_stage character varying(32),
    model_type character varying(500),
    source_run_id character varying(32),
    status_message character varying(1000),
    CONSTRAINT logged_models_lifecycle_stage_check CHECK (((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying, 'deleted'::character varying])::text[])))
);


--
-- Name: metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.metrics (
    key character varying(250) NOT NULL,
    value double precision NOT NULL,
    "timestamp" bigint NOT NULL,
    run_uuid character varying(32) NOT NULL,
    step bigint DEFAULT '0'::bigint NOT NULL,
    is_nan boolean DEFAULT false NOT NULL
);


--
-- Name: model_version_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.model_version_tags (
    key character varying(250) NOT NULL,
    value text,
    name character varying(256) NOT NULL,
    version integer NOT NULL
);


--
-- Name: model_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.model_versions (
    name character varying(256) NOT NULL,
    version integer NOT NULL,
    creation_time bigint,
    last_updated_time bigint,
    description character varying(5000),
    user_id character varying(256),
    current_stage character varying(20),
    source character varying(500),
    run_id character varying(32),
    status character varying(20),
    status_message character varying(500),
    run_link character varying(500),
    storage_location character varying(500)
);


--
-- Name: params; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.params (
    key character varying(250) NOT NULL,
    value character varying(8000) NOT NULL,
    run_uuid character varying(32) NOT NULL
);


--
-- Name: registered_model_aliases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_model_aliases (
    alias character varying(256) NOT NULL,
    version integer NOT NULL,
    name character varying(256) NOT NULL
);


--
-- Name: registered_model_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_model_tags (
    key character varying(250) NOT NULL,
    value character varying(5000),
    name character varying(256) NOT NULL
);


--
-- Name: registered_models; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_models (
    name character varying(256) NOT NULL,
    creation_time bigint,
    last_updated_time bigint,
    description character varying(5000)
);


--
-- Name: runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.runs (
    run_uuid character varying(32) NOT NULL,
    name character varying(250),
    source_type character varying(20),
    source_name character varying(500),
    entry_point_name character varying(50),
    user_id character varying(256),
    status character varying(9),
    start_time bigint,
    end_time bigint,
    source_version character varying(50),
    lifecycle_stage character varying(20),
    artifact_uri character varying(200),
    experiment_id integer,
    deleted_time bigint,
    CONSTRAINT runs_lifecycle_stage CHECK (((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying, 'deleted'::character varying])::text[]))),
    CONSTRAINT runs_status_check CHECK (((status)::text = ANY ((ARRAY['SCHEDULED'::character varying, 'FAILED'::character varying, 'FINISHED'::character varying, 'RUNNING'::character varying, 'KILLED'::character varying])::text[]))),
    CONSTRAINT source_type CHECK (((source_type)::text = ANY ((ARRAY['NOTEBOOK'::character varying, 'JOB'::character varying, 'LOCAL'::character varying, 'UNKNOWN'::character varying, 'PROJECT'::character varying])::text[])))
);


--
-- Name: tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tags (
    key character varying(250) NOT NULL,
    value character varying(8000),
    run_uuid character varying(32) NOT NULL
);


--
-- Name: trace_info; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_info (
    request_id character varying(50) NOT NULL,
    experiment_id integer NOT NULL,
    timestamp_ms bigint NOT NULL,
    execution_time_ms bigint,
    status character varying(50) NOT NULL
);


--
-- Name: trace_request_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_request_metadata (
    key character varying(250) NOT NULL,
    value character varying(8000),
    request_id character varying(50) NOT NULL
);


--
-- Name: trace_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_tags (
    key character varying(250) NOT NULL,
    value character varying(8000),
    request_id character varying(50) NOT NULL
);


--
-- Name: experiments experiment_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiments ALTER COLUMN experiment_id SET DEFAULT nextval('public.experiments_experiment_id_seq'::regclass);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alembic_version VALUES ('bda7b8c39065');


--
-- Data for Name: datasets; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: experiment_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.experiment_tags VALUES ('team', 'old', 1);


--
-- Data for Name: experiments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.experiments VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', 1796303921046, 1796303921046);
INSERT INTO public.experiments VALUES (1, 'shared', 'mlflow-artifacts:/1', 'active', 1796303925160, 1796303925160);
INSERT INTO public.experiments VALUES (2, 'private', 'mlflow-artifacts:/2', 'active', 1796303925502, 1796303925502);


--
-- Data for Name: input_tags; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: inputs; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: latest_metrics; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.latest_metrics VALUES ('loss', 0.047619047619047616, 1700000000019, 19, false, '7d3faae1b506485fa98a98e0fee4e1ca');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '7d3faae1b506485fa98a98e0fee4e1ca');
INSERT INTO public.latest_metrics VALUES ('loss', 0.043478260869565216, 1700000000019, 19, false, '6b5e413db16843ec906da0411b07dd32');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '6b5e413db16843ec906da0411b07dd32');
INSERT INTO public.latest_metrics VALUES ('loss', 0.05, 1700000000019, 19, false, '5991da6cbff04e8896ce091f0967ba82');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '5991da6cbff04e8896ce091f0967ba82');
INSERT INTO public.latest_metrics VALUES ('loss', 0.04, 1700000000019, 19, false, '50e961954ff649d799b484b0426cbbc6');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '50e961954ff649d799b484b0426cbbc6');
INSERT INTO public.latest_metrics VALUES ('loss', 0.045454545454545456, 1700000000019, 19, false, '12b42cc42b294c128381ff2c757732c7');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '12b42cc42b294c128381ff2c757732c7');
INSERT INTO public.latest_metrics VALUES ('loss', 0.041666666666666664, 1700000000019, 19, false, '9588f11df0584a6bb69b0798bc3127a6');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '9588f11df0584a6bb69b0798bc3127a6');


--
-- Data for Name: logged_model_metrics; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: logged_model_params; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: logged_model_tags; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: logged_models; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: metrics; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.metrics VALUES ('loss', 1, 1700000000000, '5991da6cbff04e8896ce091f0967ba82', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '5991da6cbff04e8896ce091f0967ba82', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.5, 1700000000001, '5991da6cbff04e8896ce091f0967ba82', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '5991da6cbff04e8896ce091f0967ba82', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.3333333333333333, 1700000000002, '5991da6cbff04e8896ce091f0967ba82', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '5991da6cbff04e8896ce091f0967ba82', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000003, '5991da6cbff04e8896ce091f0967ba82', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '5991da6cbff04e8896ce091f0967ba82', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000004, '5991da6cbff04e8896ce091f0967ba82', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '5991da6cbff04e8896ce091f0967ba82', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000005, '5991da6cbff04e8896ce091f0967ba82', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '5991da6cbff04e8896ce091f0967ba82', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000006, '5991da6cbff04e8896ce091f0967ba82', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '5991da6cbff04e8896ce091f0967ba82', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000007, '5991da6cbff04e8896ce091f0967ba82', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '5991da6cbff04e8896ce091f0967ba82', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000008, '5991da6cbff04e8896ce091f0967ba82', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '5991da6cbff04e8896ce091f0967ba82', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000009, '5991da6cbff04e8896ce091f0967ba82', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '5991da6cbff04e8896ce091f0967ba82', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000010, '5991da6cbff04e8896ce091f0967ba82', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '5991da6cbff04e8896ce091f0967ba82', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000011, '5991da6cbff04e8896ce091f0967ba82', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '5991da6cbff04e8896ce091f0967ba82', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000012, '5991da6cbff04e8896ce091f0967ba82', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '5991da6cbff04e8896ce091f0967ba82', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000013, '5991da6cbff04e8896ce091f0967ba82', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '5991da6cbff04e8896ce091f0967ba82', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000014, '5991da6cbff04e8896ce091f0967ba82', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '5991da6cbff04e8896ce091f0967ba82', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000015, '5991da6cbff04e8896ce091f0967ba82', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '5991da6cbff04e8896ce091f0967ba82', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000016, '5991da6cbff04e8896ce091f0967ba82', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '5991da6cbff04e8896ce091f0967ba82', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000017, '5991da6cbff04e8896ce091f0967ba82', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '5991da6cbff04e8896ce091f0967ba82', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000018, '5991da6cbff04e8896ce091f0967ba82', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '5991da6cbff04e8896ce091f0967ba82', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000019, '5991da6cbff04e8896ce091f0967ba82', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '5991da6cbff04e8896ce091f0967ba82', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.5, 1700000000000, '7d3faae1b506485fa98a98e0fee4e1ca', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '7d3faae1b506485fa98a98e0fee4e1ca', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.3333333333333333, 1700000000001, '7d3faae1b506485fa98a98e0fee4e1ca', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '7d3faae1b506485fa98a98e0fee4e1ca', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000002, '7d3faae1b506485fa98a98e0fee4e1ca', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '7d3faae1b506485fa98a98e0fee4e1ca', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000003, '7d3faae1b506485fa98a98e0fee4e1ca', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '7d3faae1b506485fa98a98e0fee4e1ca', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000004, '7d3faae1b506485fa98a98e0fee4e1ca', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '7d3faae1b506485fa98a98e0fee4e1ca', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000005, '7d3faae1b506485fa98a98e0fee4e1ca', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '7d3faae1b506485fa98a98e0fee4e1ca', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000006, '7d3faae1b506485fa98a98e0fee4e1ca', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '7d3faae1b506485fa98a98e0fee4e1ca', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000007, '7d3faae1b506485fa98a98e0fee4e1ca', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '7d3faae1b506485fa98a98e0fee4e1ca', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000008, '7d3faae1b506485fa98a98e0fee4e1ca', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '7d3faae1b506485fa98a98e0fee4e1ca', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000009, '7d3faae1b506485fa98a98e0fee4e1ca', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '7d3faae1b506485fa98a98e0fee4e1ca', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000010, '7d3faae1b506485fa98a98e0fee4e1ca', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '7d3faae1b506485fa98a98e0fee4e1ca', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000011, '7d3faae1b506485fa98a98e0fee4e1ca', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '7d3faae1b506485fa98a98e0fee4e1ca', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000012, '7d3faae1b506485fa98a98e0fee4e1ca', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '7d3faae1b506485fa98a98e0fee4e1ca', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000013, '7d3faae1b506485fa98a98e0fee4e1ca', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '7d3faae1b506485fa98a98e0fee4e1ca', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000014, '7d3faae1b506485fa98a98e0fee4e1ca', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '7d3faae1b506485fa98a98e0fee4e1ca', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000015, '7d3faae1b506485fa98a98e0fee4e1ca', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '7d3faae1b506485fa98a98e0fee4e1ca', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000016, '7d3faae1b506485fa98a98e0fee4e1ca', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '7d3faae1b506485fa98a98e0fee4e1ca', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000017, '7d3faae1b506485fa98a98e0fee4e1ca', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '7d3faae1b506485fa98a98e0fee4e1ca', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '7d3faae1b506485fa98a98e0fee4e1ca', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '7d3faae1b506485fa98a98e0fee4e1ca', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '12b42cc42b294c128381ff2c757732c7', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '12b42cc42b294c128381ff2c757732c7', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '12b42cc42b294c128381ff2c757732c7', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '12b42cc42b294c128381ff2c757732c7', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '12b42cc42b294c128381ff2c757732c7', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '12b42cc42b294c128381ff2c757732c7', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '12b42cc42b294c128381ff2c757732c7', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '12b42cc42b294c128381ff2c757732c7', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '12b42cc42b294c128381ff2c757732c7', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '12b42cc42b294c128381ff2c757732c7', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '12b42cc42b294c128381ff2c757732c7', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '12b42cc42b294c128381ff2c757732c7', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '12b42cc42b294c128381ff2c757732c7', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '12b42cc42b294c128381ff2c757732c7', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '12b42cc42b294c128381ff2c757732c7', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '12b42cc42b294c128381ff2c757732c7', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '12b42cc42b294c128381ff2c757732c7', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '12b42cc42b294c128381ff2c757732c7', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '12b42cc42b294c128381ff2c757732c7', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '12b42cc42b294c128381ff2c757732c7', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '6b5e413db16843ec906da0411b07dd32', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '6b5e413db16843ec906da0411b07dd32', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '6b5e413db16843ec906da0411b07dd32', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '6b5e413db16843ec906da0411b07dd32', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '6b5e413db16843ec906da0411b07dd32', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '6b5e413db16843ec906da0411b07dd32', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '6b5e413db16843ec906da0411b07dd32', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '6b5e413db16843ec906da0411b07dd32', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '6b5e413db16843ec906da0411b07dd32', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '6b5e413db16843ec906da0411b07dd32', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '6b5e413db16843ec906da0411b07dd32', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '6b5e413db16843ec906da0411b07dd32', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '6b5e413db16843ec906da0411b07dd32', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '6b5e413db16843ec906da0411b07dd32', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '6b5e413db16843ec906da0411b07dd32', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '6b5e413db16843ec906da0411b07dd32', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '6b5e413db16843ec906da0411b07dd32', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '6b5e413db16843ec906da0411b07dd32', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '6b5e413db16843ec906da0411b07dd32', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '6b5e413db16843ec906da0411b07dd32', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '9588f11df0584a6bb69b0798bc3127a6', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '9588f11df0584a6bb69b0798bc3127a6', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '9588f11df0584a6bb69b0798bc3127a6', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '9588f11df0584a6bb69b0798bc3127a6', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '9588f11df0584a6bb69b0798bc3127a6', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '9588f11df0584a6bb69b0798bc3127a6', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '9588f11df0584a6bb69b0798bc3127a6', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '9588f11df0584a6bb69b0798bc3127a6', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '9588f11df0584a6bb69b0798bc3127a6', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '9588f11df0584a6bb69b0798bc3127a6', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '9588f11df0584a6bb69b0798bc3127a6', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '9588f11df0584a6bb69b0798bc3127a6', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '9588f11df0584a6bb69b0798bc3127a6', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '9588f11df0584a6bb69b0798bc3127a6', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '9588f11df0584a6bb69b0798bc3127a6', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '9588f11df0584a6bb69b0798bc3127a6', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '9588f11df0584a6bb69b0798bc3127a6', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '9588f11df0584a6bb69b0798bc3127a6', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '9588f11df0584a6bb69b0798bc3127a6', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '9588f11df0584a6bb69b0798bc3127a6', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '50e961954ff649d799b484b0426cbbc6', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '50e961954ff649d799b484b0426cbbc6', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '50e961954ff649d799b484b0426cbbc6', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '50e961954ff649d799b484b0426cbbc6', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '50e961954ff649d799b484b0426cbbc6', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '50e961954ff649d799b484b0426cbbc6', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '50e961954ff649d799b484b0426cbbc6', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '50e961954ff649d799b484b0426cbbc6', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '50e961954ff649d799b484b0426cbbc6', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '50e961954ff649d799b484b0426cbbc6', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '50e961954ff649d799b484b0426cbbc6', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '50e961954ff649d799b484b0426cbbc6', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000018, '7d3faae1b506485fa98a98e0fee4e1ca', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000019, '7d3faae1b506485fa98a98e0fee4e1ca', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.3333333333333333, 1700000000000, '12b42cc42b294c128381ff2c757732c7', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000001, '12b42cc42b294c128381ff2c757732c7', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000002, '12b42cc42b294c128381ff2c757732c7', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000003, '12b42cc42b294c128381ff2c757732c7', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000004, '12b42cc42b294c128381ff2c757732c7', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000005, '12b42cc42b294c128381ff2c757732c7', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000006, '12b42cc42b294c128381ff2c757732c7', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000007, '12b42cc42b294c128381ff2c757732c7', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000008, '12b42cc42b294c128381ff2c757732c7', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000009, '12b42cc42b294c128381ff2c757732c7', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000010, '12b42cc42b294c128381ff2c757732c7', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000011, '12b42cc42b294c128381ff2c757732c7', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000012, '12b42cc42b294c128381ff2c757732c7', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000013, '12b42cc42b294c128381ff2c757732c7', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000014, '12b42cc42b294c128381ff2c757732c7', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000015, '12b42cc42b294c128381ff2c757732c7', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000016, '12b42cc42b294c128381ff2c757732c7', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000017, '12b42cc42b294c128381ff2c757732c7', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000018, '12b42cc42b294c128381ff2c757732c7', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000019, '12b42cc42b294c128381ff2c757732c7', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000000, '6b5e413db16843ec906da0411b07dd32', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000001, '6b5e413db16843ec906da0411b07dd32', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000002, '6b5e413db16843ec906da0411b07dd32', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000003, '6b5e413db16843ec906da0411b07dd32', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000004, '6b5e413db16843ec906da0411b07dd32', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000005, '6b5e413db16843ec906da0411b07dd32', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000006, '6b5e413db16843ec906da0411b07dd32', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000007, '6b5e413db16843ec906da0411b07dd32', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000008, '6b5e413db16843ec906da0411b07dd32', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000009, '6b5e413db16843ec906da0411b07dd32', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000010, '6b5e413db16843ec906da0411b07dd32', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000011, '6b5e413db16843ec906da0411b07dd32', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000012, '6b5e413db16843ec906da0411b07dd32', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000013, '6b5e413db16843ec906da0411b07dd32', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000014, '6b5e413db16843ec906da0411b07dd32', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000015, '6b5e413db16843ec906da0411b07dd32', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000016, '6b5e413db16843ec906da0411b07dd32', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000017, '6b5e413db16843ec906da0411b07dd32', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000018, '6b5e413db16843ec906da0411b07dd32', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.043478260869565216, 1700000000019, '6b5e413db16843ec906da0411b07dd32', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000000, '9588f11df0584a6bb69b0798bc3127a6', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000001, '9588f11df0584a6bb69b0798bc3127a6', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000002, '9588f11df0584a6bb69b0798bc3127a6', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000003, '9588f11df0584a6bb69b0798bc3127a6', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000004, '9588f11df0584a6bb69b0798bc3127a6', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000005, '9588f11df0584a6bb69b0798bc3127a6', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000006, '9588f11df0584a6bb69b0798bc3127a6', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000007, '9588f11df0584a6bb69b0798bc3127a6', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000008, '9588f11df0584a6bb69b0798bc3127a6', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000009, '9588f11df0584a6bb69b0798bc3127a6', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000010, '9588f11df0584a6bb69b0798bc3127a6', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000011, '9588f11df0584a6bb69b0798bc3127a6', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000012, '9588f11df0584a6bb69b0798bc3127a6', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000013, '9588f11df0584a6bb69b0798bc3127a6', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000014, '9588f11df0584a6bb69b0798bc3127a6', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000015, '9588f11df0584a6bb69b0798bc3127a6', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000016, '9588f11df0584a6bb69b0798bc3127a6', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000017, '9588f11df0584a6bb69b0798bc3127a6', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.043478260869565216, 1700000000018, '9588f11df0584a6bb69b0798bc3127a6', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.041666666666666664, 1700000000019, '9588f11df0584a6bb69b0798bc3127a6', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000000, '50e961954ff649d799b484b0426cbbc6', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000001, '50e961954ff649d799b484b0426cbbc6', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000002, '50e961954ff649d799b484b0426cbbc6', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000003, '50e961954ff649d799b484b0426cbbc6', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000004, '50e961954ff649d799b484b0426cbbc6', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000005, '50e961954ff649d799b484b0426cbbc6', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000006, '50e961954ff649d799b484b0426cbbc6', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000007, '50e961954ff649d799b484b0426cbbc6', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000008, '50e961954ff649d799b484b0426cbbc6', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000009, '50e961954ff649d799b484b0426cbbc6', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000010, '50e961954ff649d799b484b0426cbbc6', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000011, '50e961954ff649d799b484b0426cbbc6', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000012, '50e961954ff649d799b484b0426cbbc6', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '50e961954ff649d799b484b0426cbbc6', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '50e961954ff649d799b484b0426cbbc6', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '50e961954ff649d799b484b0426cbbc6', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '50e961954ff649d799b484b0426cbbc6', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '50e961954ff649d799b484b0426cbbc6', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '50e961954ff649d799b484b0426cbbc6', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '50e961954ff649d799b484b0426cbbc6', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '50e961954ff649d799b484b0426cbbc6', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000013, '50e961954ff649d799b484b0426cbbc6', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000014, '50e961954ff649d799b484b0426cbbc6', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000015, '50e961954ff649d799b484b0426cbbc6', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000016, '50e961954ff649d799b484b0426cbbc6', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.043478260869565216, 1700000000017, '50e961954ff649d799b484b0426cbbc6', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.041666666666666664, 1700000000018, '50e961954ff649d799b484b0426cbbc6', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.04, 1700000000019, '50e961954ff649d799b484b0426cbbc6', 19, false);


--
-- Data for Name: model_version_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.model_version_tags VALUES ('validated', 'yes', 'shared-model', 1);


--
-- Data for Name: model_versions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.model_versions VALUES ('shared-model', 1, 1796303935705, 1796303935705, '', NULL, 'None', 'runs:/5991da6cbff04e8896ce091f0967ba82/model', '5991da6cbff04e8896ce091f0967ba82', 'READY', NULL, '', 'runs:/5991da6cbff04e8896ce091f0967ba82/model');
INSERT INTO public.model_versions VALUES ('shared-model', 2, 1796303945330, 1796303945330, '', NULL, 'None', 'runs:/7d3faae1b506485fa98a98e0fee4e1ca/model', '7d3faae1b506485fa98a98e0fee4e1ca', 'READY', NULL, '', 'runs:/7d3faae1b506485fa98a98e0fee4e1ca/model');


--
-- Data for Name: params; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.params VALUES ('alpha', '0.0', '5991da6cbff04e8896ce091f0967ba82');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '5991da6cbff04e8896ce091f0967ba82');
INSERT INTO public.params VALUES ('alpha', '0.1', '7d3faae1b506485fa98a98e0fee4e1ca');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '7d3faae1b506485fa98a98e0fee4e1ca');
INSERT INTO public.params VALUES ('alpha', '0.2', '12b42cc42b294c128381ff2c757732c7');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '12b42cc42b294c128381ff2c757732c7');
INSERT INTO public.params VALUES ('alpha', '0.3', '6b5e413db16843ec906da0411b07dd32');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '6b5e413db16843ec906da0411b07dd32');
INSERT INTO public.params VALUES ('alpha', '0.4', '9588f11df0584a6bb69b0798bc3127a6');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '9588f11df0584a6bb69b0798bc3127a6');
INSERT INTO public.params VALUES ('alpha', '0.5', '50e961954ff649d799b484b0426cbbc6');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '50e961954ff649d799b484b0426cbbc6');


--
-- Data for Name: registered_model_aliases; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_model_aliases VALUES ('champion', 1, 'shared-model');


--
-- Data for Name: registered_model_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_model_tags VALUES ('stage', 'old', 'shared-model');


--
-- Data for Name: registered_models; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_models VALUES ('shared-model', 1796303925934, 1796303945330, '');


--
-- Data for Name: runs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.runs VALUES ('5991da6cbff04e8896ce091f0967ba82', 'run-0', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796303926049, 1796303935076, '', 'active', 'mlflow-artifacts:/1/5991da6cbff04e8896ce091f0967ba82/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('7d3faae1b506485fa98a98e0fee4e1ca', 'run-1', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796303935713, 1796303944710, '', 'active', 'mlflow-artifacts:/1/7d3faae1b506485fa98a98e0fee4e1ca/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('12b42cc42b294c128381ff2c757732c7', 'run-2', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796303945337, 1796303954493, '', 'active', 'mlflow-artifacts:/1/12b42cc42b294c128381ff2c757732c7/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('6b5e413db16843ec906da0411b07dd32', 'run-3', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796303954913, 1796303964110, '', 'active', 'mlflow-artifacts:/1/6b5e413db16843ec906da0411b07dd32/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('9588f11df0584a6bb69b0798bc3127a6', 'run-4', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796303964547, 1796303973822, '', 'active', 'mlflow-artifacts:/1/9588f11df0584a6bb69b0798bc3127a6/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('50e961954ff649d799b484b0426cbbc6', 'run-5', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796303974257, 1796303983764, '', 'deleted', 'mlflow-artifacts:/1/50e961954ff649d799b484b0426cbbc6/artifacts', 1, 1796303984445);


--
-- Data for Name: tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.tags VALUES ('i', '0', '5991da6cbff04e8896ce091f0967ba82');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-0', '5991da6cbff04e8896ce091f0967ba82');
INSERT INTO public.tags VALUES ('i', '1', '7d3faae1b506485fa98a98e0fee4e1ca');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-1', '7d3faae1b506485fa98a98e0fee4e1ca');
INSERT INTO public.tags VALUES ('i', '2', '12b42cc42b294c128381ff2c757732c7');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-2', '12b42cc42b294c128381ff2c757732c7');
INSERT INTO public.tags VALUES ('i', '3', '6b5e413db16843ec906da0411b07dd32');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-3', '6b5e413db16843ec906da0411b07dd32');
INSERT INTO public.tags VALUES ('i', '4', '9588f11df0584a6bb69b0798bc3127a6');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-4', '9588f11df0584a6bb69b0798bc3127a6');
INSERT INTO public.tags VALUES ('i', '5', '50e961954ff649d799b484b0426cbbc6');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-5', '50e961954ff649d799b484b0426cbbc6');


--
-- Data for Name: trace_info; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_info VALUES ('41300fc2d5f04c53a1983ada10021d3c', 1, 1796303985650, NULL, 'IN_PROGRESS');
INSERT INTO public.trace_info VALUES ('3f766d5c044745b9bb4fc0d25296f774', 1, 1796303985949, NULL, 'IN_PROGRESS');
INSERT INTO public.trace_info VALUES ('88735fdc470647fca11aa4efcfcce679', 1, 1796303986181, NULL, 'IN_PROGRESS');


--
-- Data for Name: trace_request_metadata; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace_schema.version', '3', '41300fc2d5f04c53a1983ada10021d3c');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.user', 'admin', '41300fc2d5f04c53a1983ada10021d3c');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.name', '/work/main/sample_data/make_old_server.py', '41300fc2d5f04c53a1983ada10021d3c');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.type', 'LOCAL', '41300fc2d5f04c53a1983ada10021d3c');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.commit', '99cb4d9dece9cf088e26246e5b6e4576bc5b515f', '41300fc2d5f04c53a1983ada10021d3c');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.repoURL', '', '41300fc2d5f04c53a1983ada10021d3c');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.branch', 'main', '41300fc2d5f04c53a1983ada10021d3c');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace_schema.version', '3', '3f766d5c044745b9bb4fc0d25296f774');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.user', 'admin', '3f766d5c044745b9bb4fc0d25296f774');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.name', '/work/main/sample_data/make_old_server.py', '3f766d5c044745b9bb4fc0d25296f774');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.type', 'LOCAL', '3f766d5c044745b9bb4fc0d25296f774');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.commit', '99cb4d9dece9cf088e26246e5b6e4576bc5b515f', '3f766d5c044745b9bb4fc0d25296f774');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.repoURL', '', '3f766d5c044745b9bb4fc0d25296f774');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.branch', 'main', '3f766d5c044745b9bb4fc0d25296f774');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace_schema.version', '3', '88735fdc470647fca11aa4efcfcce679');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.user', 'admin', '88735fdc470647fca11aa4efcfcce679');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.name', '/work/main/sample_data/make_old_server.py', '88735fdc470647fca11aa4efcfcce679');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.type', 'LOCAL', '88735fdc470647fca11aa4efcfcce679');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.commit', '99cb4d9dece9cf088e26246e5b6e4576bc5b515f', '88735fdc470647fca11aa4efcfcce679');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.repoURL', '', '88735fdc470647fca11aa4efcfcce679');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.branch', 'main', '88735fdc470647fca11aa4efcfcce679');


--
-- Data for Name: trace_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_tags VALUES ('mlflow.traceName', 'agent-0', '41300fc2d5f04c53a1983ada10021d3c');
INSERT INTO public.trace_tags VALUES ('mlflow.artifactLocation', 'mlflow-artifacts:/1/traces/41300fc2d5f04c53a1983ada10021d3c/artifacts', '41300fc2d5f04c53a1983ada10021d3c');
INSERT INTO public.trace_tags VALUES ('mlflow.traceName', 'agent-1', '3f766d5c044745b9bb4fc0d25296f774');
INSERT INTO public.trace_tags VALUES ('mlflow.artifactLocation', 'mlflow-artifacts:/1/traces/3f766d5c044745b9bb4fc0d25296f774/artifacts', '3f766d5c044745b9bb4fc0d25296f774');
INSERT INTO public.trace_tags VALUES ('mlflow.traceName', 'agent-2', '88735fdc470647fca11aa4efcfcce679');
INSERT INTO public.trace_tags VALUES ('mlflow.artifactLocation', 'mlflow-artifacts:/1/traces/88735fdc470647fca11aa4efcfcce679/artifacts', '88735fdc470647fca11aa4efcfcce679');


--
-- Name: experiments_experiment_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.experiments_experiment_id_seq', 2, true);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: datasets dataset_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.datasets
    ADD CONSTRAINT dataset_pk PRIMARY KEY (experiment_id, name, digest);


--
-- Name: experiments experiment_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiments
    ADD CONSTRAINT experiment_pk PRIMARY KEY (experiment_id);


--
-- Name: experiment_tags experiment_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_tags
    ADD CONSTRAINT experiment_tag_pk PRIMARY KEY (key, experiment_id);


--
-- Name: experiments experiments_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiments
    ADD CONSTRAINT experiments_name_key UNIQUE (name);


--
-- Name: input_tags input_tags_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.input_tags
    ADD CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name);


--
-- Name: inputs inputs_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inputs
    ADD CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id);


--
-- Name: latest_metrics latest_metric_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.latest_metrics
    ADD CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid);


--
-- Name: logged_model_metrics logged_model_metrics_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_metrics
    ADD CONSTRAINT logged_model_metrics_pk PRIMARY KEY (model_id, metric_name, metric_timestamp_ms, metric_step, run_id);


--
-- Name: logged_model_params logged_model_params_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_params
    ADD CONSTRAINT logged_model_params_pk PRIMARY KEY (model_id, param_key);


--
-- Name: logged_model_tags logged_model_tags_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_tags
    ADD CONSTRAINT logged_model_tags_pk PRIMARY KEY (model_id, tag_key);


--
-- Name: logged_models logged_models_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_models
    ADD CONSTRAINT logged_models_pk PRIMARY KEY (model_id);


--
-- Name: metrics metric_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.metrics
    ADD CONSTRAINT metric_pk PRIMARY KEY (key, "timestamp", step, run_uuid, value, is_nan);


--
-- Name: model_versions model_version_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_versions
    ADD CONSTRAINT model_version_pk PRIMARY KEY (name, version);


--
-- Name: model_version_tags model_version_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_version_tags
    ADD CONSTRAINT model_version_tag_pk PRIMARY KEY (key, name, version);


--
-- Name: params param_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.params
    ADD CONSTRAINT param_pk PRIMARY KEY (key, run_uuid);


--
-- Name: registered_model_aliases registered_model_alias_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_aliases
    ADD CONSTRAINT registered_model_alias_pk PRIMARY KEY (name, alias);


--
-- Name: registered_models registered_model_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_models
    ADD CONSTRAINT registered_model_pk PRIMARY KEY (name);


--
-- Name: registered_model_tags registered_model_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_tags
    ADD CONSTRAINT registered_model_tag_pk PRIMARY KEY (key, name);


--
-- Name: runs run_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT run_pk PRIMARY KEY (run_uuid);


--
-- Name: tags tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tag_pk PRIMARY KEY (key, run_uuid);


--
-- Name: trace_info trace_info_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_info
    ADD CONSTRAINT trace_info_pk PRIMARY KEY (request_id);


--
-- Name: trace_request_metadata trace_request_metadata_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_request_metadata
    ADD CONSTRAINT trace_request_metadata_pk PRIMARY KEY (key, request_id);


--
-- Name: trace_tags trace_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_tags
    ADD CONSTRAINT trace_tag_pk PRIMARY KEY (key, request_id);


--
-- Name: index_datasets_dataset_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_datasets_dataset_uuid ON public.datasets USING btree (dataset_uuid);


--
-- Name: index_datasets_experiment_id_dataset_source_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_datasets_experiment_id_dataset_source_type ON public.datasets USING btree (experiment_id, dataset_source_type);


--
-- Name: index_inputs_destination_type_destination_id_source_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_inputs_destination_type_destination_id_source_type ON public.inputs USING btree (destination_type, destination_id, source_type);


--
-- Name: index_inputs_input_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_inputs_input_uuid ON public.inputs USING btree (input_uuid);


--
-- Name: index_latest_metrics_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_latest_metrics_run_uuid ON public.latest_metrics USING btree (run_uuid);


--
-- Name: index_logged_model_metrics_model_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_logged_model_metrics_model_id ON public.logged_model_metrics USING btree (model_id);


--
-- Name: index_metrics_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_metrics_run_uuid ON public.metrics USING btree (run_uuid);


--
-- Name: index_params_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_params_run_uuid ON public.params USING btree (run_uuid);


--
-- Name: index_tags_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_tags_run_uuid ON public.tags USING btree (run_uuid);


--
-- Name: index_trace_info_experiment_id_timestamp_ms; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_info_experiment_id_timestamp_ms ON public.trace_info USING btree (experiment_id, timestamp_ms);


--
-- Name: index_trace_request_metadata_request_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_request_metadata_request_id ON public.trace_request_metadata USING btree (request_id);


--
-- Name: index_trace_tags_request_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_tags_request_id ON public.trace_tags USING btree (request_id);


--
-- Name: experiment_tags experiment_tags_experiment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_tags
    ADD CONSTRAINT experiment_tags_experiment_id_fkey FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: datasets fk_datasets_experiment_id_experiments; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.datasets
    ADD CONSTRAINT fk_datasets_experiment_id_experiments FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id) ON DELETE CASCADE;


--
-- Name: logged_model_metrics fk_logged_model_metrics_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_metrics
    ADD CONSTRAINT fk_logged_model_metrics_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: logged_model_metrics fk_logged_model_metrics_model_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_metrics
    ADD CONSTRAINT fk_logged_model_metrics_model_id FOREIGN KEY (model_id) REFERENCES public.logged_models(model_id) ON DELETE CASCADE;


--
-- Name: logged_model_metrics fk_logged_model_metrics_run_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_metrics
    ADD CONSTRAINT fk_logged_model_metrics_run_id FOREIGN KEY (run_id) REFERENCES public.runs(run_uuid) ON DELETE CASCADE;


--
-- Name: logged_model_params fk_logged_model_params_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_params
    ADD CONSTRAINT fk_logged_model_params_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: logged_model_params fk_logged_model_params_model_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_params
    ADD CONSTRAINT fk_logged_model_params_model_id FOREIGN KEY (model_id) REFERENCES public.logged_models(model_id) ON DELETE CASCADE;


--
-- Name: logged_model_tags fk_logged_model_tags_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_tags
    ADD CONSTRAINT fk_logged_model_tags_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: logged_model_tags fk_logged_model_tags_model_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_tags
    ADD CONSTRAINT fk_logged_model_tags_model_id FOREIGN KEY (model_id) REFERENCES public.logged_models(model_id) ON DELETE CASCADE;


--
-- Name: logged_models fk_logged_models_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_models
    ADD CONSTRAINT fk_logged_models_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id) ON DELETE CASCADE;


--
-- Name: trace_info fk_trace_info_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_info
    ADD CONSTRAINT fk_trace_info_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: trace_request_metadata fk_trace_request_metadata_request_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_request_metadata
    ADD CONSTRAINT fk_trace_request_metadata_request_id FOREIGN KEY (request_id) REFERENCES public.trace_info(request_id) ON DELETE CASCADE;


--
-- Name: trace_tags fk_trace_tags_request_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_tags
    ADD CONSTRAINT fk_trace_tags_request_id FOREIGN KEY (request_id) REFERENCES public.trace_info(request_id) ON DELETE CASCADE;


--
-- Name: latest_metrics latest_metrics_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.latest_metrics
    ADD CONSTRAINT latest_metrics_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: metrics metrics_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.metrics
    ADD CONSTRAINT metrics_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: model_version_tags model_version_tags_name_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_version_tags
    ADD CONSTRAINT model_version_tags_name_version_fkey FOREIGN KEY (name, version) REFERENCES public.model_versions(name, version) ON UPDATE CASCADE;


--
-- Name: model_versions model_versions_name_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_versions
    ADD CONSTRAINT model_versions_name_fkey FOREIGN KEY (name) REFERENCES public.registered_models(name) ON UPDATE CASCADE;


--
-- Name: params params_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.params
    ADD CONSTRAINT params_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: registered_model_aliases registered_model_alias_name_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_aliases
    ADD CONSTRAINT registered_model_alias_name_fkey FOREIGN KEY (name) REFERENCES public.registered_models(name) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: registered_model_tags registered_model_tags_name_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_tags
    ADD CONSTRAINT registered_model_tags_name_fkey FOREIGN KEY (name) REFERENCES public.registered_models(name) ON UPDATE CASCADE;


--
-- Name: runs runs_experiment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_experiment_id_fkey FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: tags tags_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tags_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- PostgreSQL database dump complete
--

